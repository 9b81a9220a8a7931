import type { LogLevel as NestLogLevel } from '@nestjs/common';

/** Log levels in the names log collectors know (pino/bunyan), most severe first. */
export const LOG_LEVEL_NAMES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number];

const SEVERITY: Readonly<Record<LogLevelName, number>> = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10 };

export function severityOf(level: LogLevelName): number {
  return SEVERITY[level];
}

/** Nest calls its info level `log` and its trace level `verbose`. */
export const NEST_LEVEL_TO_NAME: Readonly<Record<NestLogLevel, LogLevelName>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};
