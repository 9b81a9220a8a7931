/** The items of the directory's ingest API (docs/DIRECTORY.md, `POST /v1/directory/entries`). */
export type DirectoryEntry =
  | { kind: 'ca'; ca: string; dn: string; certificate: string; version: string }
  | { kind: 'crl' | 'delta-crl'; ca: string; dn: string; crl: string; crlNumber: number; version: string }
  | {
      kind: 'certificate';
      ca: string;
      dn: string;
      certificate: string;
      serial: string;
      fingerprint: string;
      commonName?: string;
      meterId?: string;
      revoked: boolean;
      version: string;
    };

/** The ingest API takes at most this many entries per request. */
export const MAX_DIRECTORY_BATCH = 1000;
