/**
 * The items of the ingest API (`POST /v1/directory/entries`, docs/DIRECTORY.md): what a CA's publisher pushes.
 * Binary values are base64 DER; `version` is an ISO 8601 instant that orders the updates of one DN.
 */
export const MAX_INGEST_ENTRIES = 1000;

export const DIRECTORY_ITEM_KINDS = ['ca', 'crl', 'delta-crl', 'certificate'] as const;
export type DirectoryItemKind = (typeof DIRECTORY_ITEM_KINDS)[number];

interface ItemBase {
  ca: string;
  dn: string;
  version: string;
}

export interface CaItem extends ItemBase {
  kind: 'ca';
  certificate: string;
}

export interface CrlItem extends ItemBase {
  kind: 'crl' | 'delta-crl';
  crl: string;
  crlNumber: number;
}

export interface CertificateItem extends ItemBase {
  kind: 'certificate';
  certificate: string;
  serial: string;
  fingerprint: string;
  commonName?: string;
  meterId?: string;
  revoked: boolean;
}

export type DirectoryItem = CaItem | CrlItem | CertificateItem;

/** What to do with revoked end-entity certificates (`SMPKI_DIRECTORY_REVOKED`). */
export type RevokedPolicy = 'keep' | 'remove';
