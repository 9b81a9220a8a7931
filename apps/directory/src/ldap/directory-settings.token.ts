/** Injection token of the directory's own settings (ldap-settings.ts). */
export const DIRECTORY_SETTINGS = Symbol('DIRECTORY_SETTINGS');
