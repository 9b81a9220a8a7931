import { readFileSync } from 'node:fs';
import type { AccessRules } from './access-rules';
import { COMMAND_CATALOGUE, type CommandCatalogue } from './command-catalogue';
import { commandMatches, COMMAND_PATTERN_FORMAT, isCommandName, isCommandPattern } from './command-name';
import { isRole, ROLES, type Role } from './roles';

/** Refused access rules; the message names the source and every problem found, one per line. */
export class AccessRulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid access rules (${source}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'AccessRulesError';
  }
}

export interface ParseAccessRulesOptions {
  /** Named in error messages, e.g. the file path. */
  source?: string;
  /** Commands that patterns may name; a pattern that covers none of them is refused. */
  catalogue?: CommandCatalogue;
}

const TOP_LEVEL_KEYS = new Set(['version', 'description', 'roles']);

/**
 * Validates access rules given as data (`{ "version": 1, "roles": { "<role>": ["<pattern>", ...] } }`) and
 * returns them frozen. Unknown roles, malformed patterns and patterns naming no known command are refused with
 * an {@link AccessRulesError} listing each one, so an operator fixes a rules file in one pass.
 */
export function parseAccessRules(input: unknown, options: ParseAccessRulesOptions = {}): AccessRules {
  const source = options.source ?? 'access rules';
  const catalogue = options.catalogue ?? COMMAND_CATALOGUE;
  const problems: string[] = [];
  if (!isPlainObject(input)) throw new AccessRulesError(source, ['expected a JSON object with a "roles" object']);
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL_KEYS.has(key)) problems.push(`unknown key "${key}" (allowed: ${[...TOP_LEVEL_KEYS].join(', ')})`);
  }
  if (input.version !== undefined && input.version !== 1) problems.push(`unsupported version ${JSON.stringify(input.version)} (supported: 1)`);
  if (!isPlainObject(input.roles)) {
    problems.push('"roles" must be an object mapping role names to arrays of command patterns');
    throw new AccessRulesError(source, problems);
  }
  const rules: Partial<Record<Role, readonly string[]>> = {};
  for (const [role, patterns] of Object.entries(input.roles)) {
    const accepted = checkRole(role, patterns, catalogue, problems);
    if (accepted && isRole(role)) rules[role] = Object.freeze(accepted);
  }
  if (problems.length > 0) throw new AccessRulesError(source, problems);
  return Object.freeze(rules);
}

/** Reads and validates a JSON rules file (at start-up: synchronous on purpose). */
export function loadAccessRulesFile(path: string, catalogue?: CommandCatalogue): AccessRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AccessRulesError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AccessRulesError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseAccessRules(data, { source: path, catalogue });
}

function checkRole(role: string, patterns: unknown, catalogue: CommandCatalogue, problems: string[]): string[] | undefined {
  if (!isRole(role)) {
    problems.push(`unknown role "${role}" (known roles: ${ROLES.join(', ')})`);
    return undefined;
  }
  if (!Array.isArray(patterns)) {
    problems.push(`roles.${role} must be an array of command patterns`);
    return undefined;
  }
  const before = problems.length;
  patterns.forEach((pattern: unknown, index) => {
    const where = `roles.${role}[${index}]`;
    if (!isCommandPattern(pattern)) {
      problems.push(`${where}: malformed command pattern ${JSON.stringify(pattern)}: expected ${COMMAND_PATTERN_FORMAT}`);
    } else if (!catalogue.some((entry) => commandMatches(pattern, entry.name))) {
      const kind = isCommandName(pattern) ? 'unknown command' : 'pattern matching no known command';
      problems.push(`${where}: ${kind} "${pattern}" (known commands: ${catalogue.map((entry) => entry.name).join(', ')})`);
    }
  });
  return problems.length === before ? (patterns as string[]).slice() : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
