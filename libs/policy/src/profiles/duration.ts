/**
 * Calendar durations for certificate validity. SM-PKI validities are calendar years ("2 years" from 13 Jan 2026
 * ends on 13 Jan 2028), not multiples of 365 days, and notAfter is 23:59:59 UTC of the last day.
 */

export interface Duration {
  years?: number;
  months?: number;
  days?: number;
}

/** `date` plus a calendar duration, in UTC (31 Jan + 1 month = 3 Mar, as Date arithmetic does). */
export function addDuration(date: Date, duration: Duration): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + (duration.years ?? 0), result.getUTCMonth() + (duration.months ?? 0), result.getUTCDate() + (duration.days ?? 0));
  return result;
}

/** 23:59:59 UTC of the day of `date` (X.509 times have whole seconds). */
export function endOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 23, 59, 59));
}

export function isEndOfUtcDay(date: Date): boolean {
  return date.getUTCHours() === 23 && date.getUTCMinutes() === 59 && date.getUTCSeconds() === 59;
}

export function formatDuration(duration: Duration): string {
  const parts = [
    duration.years ? `${duration.years} year${duration.years === 1 ? '' : 's'}` : '',
    duration.months ? `${duration.months} month${duration.months === 1 ? '' : 's'}` : '',
    duration.days ? `${duration.days} day${duration.days === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '0 days';
}
