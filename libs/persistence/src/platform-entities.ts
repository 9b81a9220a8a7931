/**
 * Every entity of the platform. Each library exports its entity classes and they are listed here, so one
 * DataSource (and one migration history per dialect) covers the whole platform.
 *
 * Entity modules import only `typeorm`, never `@smpki/persistence` (this module imports them: a cycle would
 * make the list depend on load order), and declare binary columns as `bytea` and instants as `timestamptz`;
 * dialect-columns.ts maps those for SQLite. Each library's index exports its entities before anything that
 * imports `@smpki/persistence`.
 */
import { AUDIT_ENTITIES } from '@smpki/audit';
import { AUTH_ENTITIES } from '@smpki/auth';
import { CA_ENTITIES } from '@smpki/ca';
import { DIRECTORY_ENTITIES } from '@smpki/directory';
import { REGISTRY_ENTITIES } from '@smpki/registry';
import { SKM_ENTITIES } from '@smpki/skm';

export const PLATFORM_ENTITIES: readonly Function[] = [
  ...AUDIT_ENTITIES,
  ...AUTH_ENTITIES,
  ...CA_ENTITIES,
  ...DIRECTORY_ENTITIES,
  ...REGISTRY_ENTITIES,
  ...SKM_ENTITIES,
];
