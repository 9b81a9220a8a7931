/**
 * The items of the directory's ingest API (docs/DIRECTORY.md, `POST /v1/directory/entries`). The directory library
 * owns the contract; a type-only import keeps the CA engine from loading it at run time.
 */
export type { DirectoryItem as DirectoryEntry } from '@smpki/directory';

/** The ingest API takes at most this many entries per request (MAX_INGEST_ENTRIES of @smpki/directory; a test checks). */
export const MAX_DIRECTORY_BATCH = 1000;
