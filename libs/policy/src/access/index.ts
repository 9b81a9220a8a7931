export { ROLES, isRole, type Role } from './roles';
export { COMMAND_NAME_FORMAT, COMMAND_PATTERN_FORMAT, commandMatches, isCommandName, isCommandPattern } from './command-name';
export { COMMAND_CATALOGUE, catalogueHas, type CommandCatalogue, type CommandDescription } from './command-catalogue';
export { DEFAULT_ACCESS_RULES, type AccessRules } from './access-rules';
export { findGrant, isAllowed, type AccessGrant, type RoleBearer } from './is-allowed';
export { AccessRulesError, loadAccessRulesFile, parseAccessRules, type ParseAccessRulesOptions } from './load-access-rules';
