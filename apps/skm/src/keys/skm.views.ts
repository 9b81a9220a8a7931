/** The JSON answers of the SKM API. No view carries key material other than a blob wrapped for its recipient. */
import type { KeyExport, SkmMeterKey, SkmTenant, SkmTransportKey } from '@smpki/skm';

export function tenantView(tenant: SkmTenant) {
  return {
    id: tenant.id,
    name: tenant.name,
    marketPartnerId: tenant.marketPartnerId,
    masterBits: tenant.masterBits,
    masterVersion: tenant.masterVersion,
    rotatingToVersion: tenant.rotatingToVersion,
    createdAt: tenant.createdAt.toISOString(),
  };
}

export function transportKeyView(key: SkmTransportKey) {
  return { name: key.name, counterparty: key.counterparty, bits: key.bits, kcv: key.kcv, origin: key.origin, createdAt: key.createdAt.toISOString() };
}

/** A key version: its identity, state and check value; never the blob under the tenant master. */
export function meterKeyView(key: SkmMeterKey) {
  return {
    meterId: key.meterId,
    kind: key.kind,
    version: key.version,
    state: key.state,
    bits: key.bits,
    kcv: key.kcv,
    origin: key.origin,
    masterVersion: key.masterVersion,
    createdAt: key.createdAt.toISOString(),
    activatedAt: key.activatedAt?.toISOString() ?? null,
    retiredAt: key.retiredAt?.toISOString() ?? null,
    destroyedAt: key.destroyedAt?.toISOString() ?? null,
  };
}

export function keyExportView(exported: KeyExport) {
  return {
    ...meterKeyView(exported.key),
    transportKey: exported.transportKey.name,
    transportKeyKcv: exported.transportKey.kcv,
    wrapped: exported.wrapped.toString('hex').toUpperCase(),
  };
}
