import { SkmInvocationCounter } from './skm-invocation-counter.entity';
import { SkmMeterKey } from './skm-meter-key.entity';
import { SkmTenant } from './skm-tenant.entity';
import { SkmTenantMember } from './skm-tenant-member.entity';
import { SkmTransportKey } from './skm-transport-key.entity';

export { COUNTER_DIRECTIONS, SkmInvocationCounter, type CounterDirection } from './skm-invocation-counter.entity';
export { METER_KEY_KINDS, METER_KEY_STATES, SkmMeterKey, type MeterKeyKind, type MeterKeyState } from './skm-meter-key.entity';
export { SkmTenant } from './skm-tenant.entity';
export { SkmTenantMember } from './skm-tenant-member.entity';
export { SkmTransportKey, TRANSPORT_KEY_COUNTERPARTIES, type TransportKeyCounterparty, type TransportKeyOrigin } from './skm-transport-key.entity';

/** The SKM's tables (listed in libs/persistence/src/platform-entities.ts). Entity modules import only typeorm. */
export const SKM_ENTITIES: readonly Function[] = [SkmTenant, SkmTenantMember, SkmTransportKey, SkmMeterKey, SkmInvocationCounter];
