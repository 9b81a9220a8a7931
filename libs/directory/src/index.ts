/** @smpki/directory: the published certificates and CRLs, their ingest, and the read-only LDAP server over them. */
// Entities first, and from modules that import only typeorm (see libs/persistence/src/platform-entities.ts).
export * from './entities';
export * from './directory-item';
export { DirectoryStore, SEARCHABLE_COLUMNS, type DirectoryRow, type EqualityCondition, type IngestResult, type SearchableAttribute } from './directory-store';
export { ancestorsOf, dnKey, InvalidDnError, parentKey, parseDirectoryDn } from './distinguished-name';
export { DirectoryLdapServer, type DirectoryLdapOptions } from './ldap/directory-ldap-server';
export { containerEntry, ldapEntryOf, selectAttributes, type LdapEntry } from './ldap/ldap-entry';
export { indexedCondition, type LdapFilter } from './ldap/search-filter';
