export * from './shipment-format';
export { keysRefused, shipmentRefused } from './shipment-problems';
export { SkmEncryptionIdentity, type EncryptionIdentity } from './skm-encryption-identity';
export { ShipmentImportService, type ShipmentImportResult, type ShipmentKeyResult, type ShipmentRange } from './shipment-import.service';
export { ShipmentExportService, type ShipmentExportRequest } from './shipment-export.service';
export { packShipment, type ClearShipmentKey } from './pack-shipment';
export { MAX_WRAPPED_IMPORT_ITEMS, WrappedKeyImportService, type WrappedKeyImportResult, type WrappedKeyItem, type WrappedKeyResult } from './wrapped-key-import.service';
