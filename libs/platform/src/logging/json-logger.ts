import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import { NEST_LEVEL_TO_NAME, severityOf, type LogLevelName } from './log-level';
import { serializeError, serializeLogRecord } from './log-serializer';
import { currentRequestContext } from './request-context';

export type LogFields = Record<string, unknown>;

/** Where finished lines go. The default writes to stdout, which Node writes synchronously for files, pipes and TTYs on Linux. */
export type LogSink = (line: string) => void;

export interface JsonLoggerOptions {
  /** `smpki-sub-ca`: on every line. */
  service: string;
  level?: LogLevelName;
  sink?: LogSink;
  /** Default `context` of this logger's lines (Nest passes its own per call). */
  context?: string;
  /** Fields on every line of this logger. */
  fields?: LogFields;
  /** Contexts whose info lines are written as debug (framework chatter). */
  demoteToDebug?: readonly string[];
}

const RESERVED = new Set(['time', 'level', 'service', 'msg', 'context', 'requestId']);
const STACK_LIKE = /\n\s+at /;

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line);
};

/** Nest's optional parameters: a trailing string is the context, for `error` a stack-shaped string is the stack. */
function splitNestParams(level: LogLevelName, params: unknown[]): { context?: string; fields: LogFields } {
  const fields: LogFields = {};
  let context: string | undefined;
  const rest = [...params];
  if (rest.length > 0 && typeof rest[rest.length - 1] === 'string' && !STACK_LIKE.test(rest[rest.length - 1] as string)) {
    context = rest.pop() as string;
  }
  for (const param of rest) {
    if (param === undefined) continue;
    if (typeof param === 'string') {
      if (level === 'error' || level === 'fatal') fields.stack = param;
      else fields.detail = param;
    } else if (param instanceof Error) {
      fields.err = serializeError(param);
    } else if (typeof param === 'object' && param !== null) {
      Object.assign(fields, param);
    } else {
      fields.detail = param;
    }
  }
  return { context, fields };
}

/**
 * Structured logging: one JSON object per line with time, level, service, msg, context, the request id of the
 * request being served (from {@link currentRequestContext}) and the caller's fields. Sensitive keys (pin, password,
 * secret, token, authorization, ...) are redacted at any depth. It is Nest's LoggerService (`log(msg, context)`)
 * and the structured logger libraries take (`info(msg, fields)`, e.g. `HsmLogger` of @smpki/hsm).
 */
export class JsonLogger implements LoggerService {
  private minimum: number;
  private readonly sink: LogSink;

  constructor(private readonly options: JsonLoggerOptions) {
    this.minimum = severityOf(options.level ?? 'info');
    this.sink = options.sink ?? stdoutSink;
  }

  /** A logger that writes with the given context (and fields) by default and shares this one's level and sink. */
  child(context: string, fields?: LogFields): JsonLogger {
    const child = new JsonLogger({ ...this.options, sink: this.sink, context, fields: { ...this.options.fields, ...fields } });
    child.minimum = this.minimum;
    return child;
  }

  isLevelEnabled(level: LogLevelName): boolean {
    return severityOf(level) >= this.minimum;
  }

  /** The one place lines are made. Never throws: a log call must not break the request that makes it. */
  write(level: LogLevelName, msg: string, fields?: LogFields, context?: string): void {
    if (!this.isLevelEnabled(level)) return;
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.options.service,
      msg,
    };
    const ctx = context ?? this.options.context;
    if (ctx) record.context = ctx;
    const requestId = currentRequestContext()?.requestId;
    if (requestId) record.requestId = requestId;
    for (const source of [this.options.fields, fields]) {
      if (!source) continue;
      for (const [key, value] of Object.entries(source)) record[RESERVED.has(key) ? `field.${key}` : key] = value;
    }
    try {
      this.sink(serializeLogRecord(record));
    } catch {
      // Nowhere left to report it; losing a line beats failing a request.
    }
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.writeNest('fatal', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.writeNest('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.writeNest('warn', message, params);
  }

  info(message: unknown, ...params: unknown[]): void {
    this.writeNest('info', message, params);
  }

  /** Nest's name for info. */
  log(message: unknown, ...params: unknown[]): void {
    this.writeNest('info', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.writeNest('debug', message, params);
  }

  trace(message: unknown, ...params: unknown[]): void {
    this.writeNest('trace', message, params);
  }

  /** Nest's name for trace. */
  verbose(message: unknown, ...params: unknown[]): void {
    this.writeNest('trace', message, params);
  }

  /** Nest passes the levels it wants; the least severe of them becomes this logger's threshold. */
  setLogLevels(levels: NestLogLevel[]): void {
    const severities = levels.map((level) => severityOf(NEST_LEVEL_TO_NAME[level]));
    this.minimum = severities.length > 0 ? Math.min(...severities) : Number.POSITIVE_INFINITY;
  }

  private writeNest(requested: LogLevelName, message: unknown, params: unknown[]): void {
    if (!this.isLevelEnabled(requested)) return;
    const { context, fields } = splitNestParams(requested, params);
    const level = requested === 'info' && context && this.options.demoteToDebug?.includes(context) ? 'debug' : requested;
    if (level !== requested && !this.isLevelEnabled(level)) return;
    if (message instanceof Error) {
      this.write(level, message.message, { err: serializeError(message), ...fields }, context);
    } else if (typeof message === 'object' && message !== null) {
      const { msg, message: text, ...rest } = message as Record<string, unknown>;
      this.write(level, String(msg ?? text ?? ''), { ...rest, ...fields }, context);
    } else {
      this.write(level, String(message), fields, context);
    }
  }
}
