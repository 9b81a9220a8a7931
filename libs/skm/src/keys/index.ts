/** The SKM key hierarchy: tenants and their HSM master keys, transport keys, meter keys and their lifecycle. */
export { DEFAULT_TRANSFER_KINDS, DLMS_KEY_IDS, DlmsKeyTransferService, type KeyTransfer } from './dlms-key-transfer.service';
export { keyCheckValue } from './key-check-value';
export { combineComponents } from './key-components';
export { DEFAULT_ROTATION_BATCH, MasterKeyRotationService, type MasterRotationResult } from './master-key-rotation.service';
export { allowedBits, DLMS_KEY_SET, kindsOfSet, METER_ID_PATTERN, normaliseMeterId, type KeySetType } from './meter-key-input';
export { MeterKeyService, type KeyExport, type KeyImport } from './meter-key.service';
export { MAX_PROVIDER_CHANGE_METERS, ProviderChangeService, type ProviderChangeResult } from './provider-change.service';
export { masterKeyUri, transportKeyUri, writeVersion, type SkmKeyNames } from './skm-key-names';
export { SKM_PROBLEM_TYPES } from './skm-problems';
export { TenantMasters } from './tenant-master';
export { TenantService, type NewTenant } from './tenant.service';
export { TransportKeyService, type NewTransportKey } from './transport-key.service';
