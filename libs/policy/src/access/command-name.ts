/**
 * Command names and the patterns that grant them.
 *
 * A command name is two or more dot-separated segments of lowercase letters, digits and inner hyphens, starting
 * with the namespace of the service: `ca.certificate.issue`, `skm.key.export`, `audit.read`. A pattern is either a
 * command name or a prefix of whole segments followed by `.*` (`ca.*`, `ca.certificate.*`), which grants every
 * command below that prefix. A bare `*` is deliberately not a pattern: every grant names at least a namespace.
 */

const SEGMENT = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const COMMAND_NAME = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})+$`);
const WILDCARD_PATTERN = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*\\.\\*$`);
const MAX_COMMAND_LENGTH = 100;

export const COMMAND_NAME_FORMAT =
  'dot-separated lowercase segments (letters, digits, inner hyphens) with at least two segments, like "ca.certificate.issue"';
export const COMMAND_PATTERN_FORMAT = `a command name (${COMMAND_NAME_FORMAT}) or a namespace prefix ending in ".*", like "ca.*"`;

/** True for a concrete command name (no wildcard). */
export function isCommandName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_COMMAND_LENGTH && COMMAND_NAME.test(value);
}

/** True for a command name or a `prefix.*` wildcard. */
export function isCommandPattern(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_COMMAND_LENGTH &&
    (COMMAND_NAME.test(value) || WILDCARD_PATTERN.test(value))
  );
}

/** Whether `pattern` grants `command`. Both must be well formed; a malformed input never matches. */
export function commandMatches(pattern: string, command: string): boolean {
  if (!isCommandName(command) || !isCommandPattern(pattern)) return false;
  if (!pattern.endsWith('.*')) return pattern === command;
  // `ca.*` covers `ca.crl.publish` but not `ca` itself nor `cabinet.open`: the prefix keeps its trailing dot.
  return command.startsWith(pattern.slice(0, -1));
}
