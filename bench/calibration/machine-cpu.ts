/**
 * Busy share of the whole machine between two readings of /proc/stat (Linux): the service is not alone in using the
 * cores during a calibration run (PostgreSQL, the load generator), so its own CPU figure does not tell whether the
 * machine was saturated.
 */
import { readFileSync } from 'node:fs';

export interface CpuTimes {
  busy: number;
  total: number;
}

export function readCpuTimes(): CpuTimes {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** 0..1: the share of all cores that was busy between the two readings. */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  return (after.busy - before.busy) / (after.total - before.total);
}
