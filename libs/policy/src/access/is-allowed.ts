import type { AccessRules } from './access-rules';
import { commandMatches } from './command-name';
import { isRole, type Role } from './roles';

/** Whoever asks: only the roles matter to the decision. */
export interface RoleBearer {
  readonly roles: readonly string[];
}

/** Which role and which pattern of the rules let a command through (for the audit trail). */
export interface AccessGrant {
  readonly role: Role;
  readonly pattern: string;
}

/**
 * The first grant of `rules` that lets `principal` run `command`, or undefined. Roles the rules do not know
 * (e.g. from a token issued under an older policy) grant nothing; a malformed command name is never granted.
 */
export function findGrant(principal: RoleBearer, command: string, rules: AccessRules): AccessGrant | undefined {
  for (const role of principal.roles) {
    if (!isRole(role)) continue;
    const pattern = rules[role]?.find((candidate) => commandMatches(candidate, command));
    if (pattern !== undefined) return { role, pattern };
  }
  return undefined;
}

/** Deny by default: true only when one of the principal's roles has a pattern covering `command`. */
export function isAllowed(principal: RoleBearer, command: string, rules: AccessRules): boolean {
  return findGrant(principal, command, rules) !== undefined;
}
