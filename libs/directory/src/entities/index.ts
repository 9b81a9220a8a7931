import { DirectoryEntry } from './directory-entry.entity';

export { DirectoryEntry, DIRECTORY_ENTRY_KINDS, type DirectoryEntryKind } from './directory-entry.entity';

/** Every entity of @smpki/directory, for the platform's entity list and migrations. */
export const DIRECTORY_ENTITIES = [DirectoryEntry];
