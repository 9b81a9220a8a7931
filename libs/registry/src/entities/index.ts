import { Manufacturer } from './manufacturer.entity';
import { ManufacturerCredential } from './manufacturer-credential.entity';
import { Meter } from './meter.entity';

export { Manufacturer, type ManufacturerStatus } from './manufacturer.entity';
export { ManufacturerCredential } from './manufacturer-credential.entity';
export { Meter, METER_TYPES, type MeterStatus, type MeterType } from './meter.entity';

/** Every entity of @smpki/registry, for the platform's entity list and migrations. */
export const REGISTRY_ENTITIES = [Manufacturer, ManufacturerCredential, Meter];
