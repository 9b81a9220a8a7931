import type { ServiceConfig } from '../config/service-config';
import { JsonLogger, type LogSink } from './json-logger';

/** Nest's start-up chatter (one line per module and route) is debug, not info, in a service log. */
export const NEST_STARTUP_CONTEXTS = ['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication'];

const loggers = new WeakMap<ServiceConfig, JsonLogger>();

/** The one logger of a service process: the same instance for bootstrap, Nest and PlatformModule. */
export function serviceLogger(config: ServiceConfig, sink?: LogSink): JsonLogger {
  let logger = loggers.get(config);
  if (!logger) {
    logger = new JsonLogger({ service: config.displayName, level: config.logLevel, sink, demoteToDebug: NEST_STARTUP_CONTEXTS });
    loggers.set(config, logger);
  }
  return logger;
}
