export { type DirectoryEntry, MAX_DIRECTORY_BATCH } from './directory-entry';
export { caEntryDn, endEntityDn, escapeDnValue } from './entry-dn';
export { caEntry, entriesForRows, UnpublishableRowError } from './directory-entries';
export { DIRECTORY_ENTRIES_PATH, DirectoryUnavailableError, HttpDirectoryClient, type DirectoryClient, type HttpDirectoryClientOptions } from './directory-client';
export { DEFAULT_BACKOFF, retryDelayMs, type BackoffOptions } from './retry-delay';
export { publishOldestChunk } from './outbox-claim';
export { outboxLag, type PublicationStatus } from './publication-status';
export { OutboxPublisher, type OutboxPublisherOptions } from './outbox-publisher';
export { LdapDirectoryClient, type LdapDirectoryClientOptions, type RevokedHandling } from './ldap-directory-client';
export { LdapOperationError } from './ldap-connection';
export { FanOutDirectoryClient, type NamedDirectoryClient } from './fan-out-directory-client';
// The wake-up of the publishers lives with enqueuePublication (it must run in the enqueuing transaction).
export { notifyPublication, PUBLICATION_CHANNEL } from '../publication';
export { PublicationListener } from './publication-listener';
