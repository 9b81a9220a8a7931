import { formatPkcs11Uri } from '@smpki/hsm';
import type { SkmTenant } from '../entities';

/** Where the SKM's token keys live: the HSM token of the service (SMPKI_HSM_TOKEN). */
export interface SkmKeyNames {
  token: string;
}

/** `pkcs11:token=<token>;object=skm-master-<market partner id>-v<version>`. */
export function masterKeyUri(names: SkmKeyNames, tenant: Pick<SkmTenant, 'marketPartnerId'>, version: number): string {
  return formatPkcs11Uri({ token: names.token, object: `skm-master-${tenant.marketPartnerId}-v${version}` });
}

/** `pkcs11:token=<token>;object=skm-transport-<market partner id>-<name>`. */
export function transportKeyUri(names: SkmKeyNames, tenant: Pick<SkmTenant, 'marketPartnerId'>, name: string): string {
  return formatPkcs11Uri({ token: names.token, object: `skm-transport-${tenant.marketPartnerId}-${name}` });
}

/** The master version new keys of the tenant are wrapped under: the rotation's target while one runs. */
export function writeVersion(tenant: SkmTenant): number {
  return tenant.rotatingToVersion ?? tenant.masterVersion;
}
