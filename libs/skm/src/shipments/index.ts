export * from './shipment-format';
export { keysRefused, shipmentRefused } from './shipment-problems';
export { SkmEncryptionIdentity, type EncryptionIdentity } from './skm-encryption-identity';
export { ShipmentImportService, type ShipmentImportResult, type ShipmentKeyResult, type ShipmentRange } from './shipment-import.service';
export { ShipmentExportService, type ShipmentExportRequest } from './shipment-export.service';
export { packShipment, type ClearShipmentKey } from './pack-shipment';
