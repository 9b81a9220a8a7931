/** @smpki/registry: manufacturers, their mutual-TLS credentials, and the meters they register at calibration. */
// Entities first, and from modules that import only typeorm (see libs/persistence/src/platform-entities.ts).
export * from './entities';
export { DEFAULT_CREDENTIAL_OPTIONS, ManufacturerService, type CredentialOptions, type NewManufacturer } from './manufacturer.service';
export { manufacturerOfCredential } from './manufacturer-credentials';
export { ManufacturerRoleResolver } from './manufacturer-role-resolver';
export { flagIdOf, keyFingerprint, METER_ID_PATTERN, meterSubject } from './meter-identity';
export type { IndexedMeterItem, MeterItem, MeterItemResult, RegistrationCaller, ReplacementReason, StreamMeterIds } from './meter-item';
export { DEFAULT_METER_CERTIFICATE_OPTIONS, MeterRegistrationService, type MeterCertificateOptions } from './meter-registration.service';
export { MAX_METER_PAGE, MeterQueryService, type MeterPage, type MeterPageRequest, type MeterRecord, type MeterScope } from './meter-query.service';
export { MeterRetirementService } from './meter-retirement.service';
export { REGISTRY_PROBLEM_TYPES, notAManufacturer, notStored as meterNotStored, unknownMeter } from './registry-problems';
