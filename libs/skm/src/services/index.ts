/** The SKM's crypto service for head-end systems that hold no keys: DLMS suite 0 and OMS with keys inside the HSM. */
export { ActiveMeterKeys, counterKeyId } from './active-meter-keys';
export { asProblems, CRYPTO_PROBLEM_TYPES, protocolProblem } from './crypto-problems';
export { DlmsCryptoService, type DlmsProtectRequest, type DlmsProtectResult, type DlmsUnprotectRequest, type DlmsUnprotectResult } from './dlms-crypto.service';
export { InvocationCounters, type CounterSlot } from './invocation-counters';
export { OmsCryptoService, type OmsDecryptResult } from './oms-crypto.service';
