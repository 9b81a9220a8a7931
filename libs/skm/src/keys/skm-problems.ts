/**
 * The 4xx answers of the SKM. Each names its field and rule. Refusals about keys (a wrong check value, another
 * tenant's meter, a blob that does not unwrap) are security relevant: they are handed to the refusal recorder, which
 * writes them to the audit trail when they end a request.
 */
import { ProblemException } from '@smpki/platform';

export const SKM_PROBLEM_TYPES = {
  keyRefused: 'skm-key-refused',
  meterUnknown: 'skm-meter-unknown',
  tenantUnknown: 'skm-tenant-unknown',
  tenantConflict: 'skm-tenant-conflict',
  notTenantMember: 'skm-tenant-required',
  transportKeyUnknown: 'skm-transport-key-unknown',
  transportKeyConflict: 'skm-transport-key-conflict',
  rotationConflict: 'skm-rotation-conflict',
} as const;

function refused(status: number, type: string, title: string, field: string, rule: string, message: string, recordRefusal = true): ProblemException {
  return new ProblemException({ status, type, title, detail: `${field}: ${message}`, errors: [{ field, rule, message }], recordRefusal });
}

function keyRefused(status: number, field: string, rule: string, message: string): ProblemException {
  return refused(status, SKM_PROBLEM_TYPES.keyRefused, 'Key refused', field, rule, message);
}

export function checkValueMismatch(field = 'kcv'): ProblemException {
  return keyRefused(422, field, 'key.check-value-mismatch', 'the key check value of the received key differs from the one supplied');
}

export function wrongKeyLength(field: string, bits: number, bytes: number): ProblemException {
  return keyRefused(400, field, 'key.length', `an RFC 3394 wrapped AES-${bits} key is ${bits / 8 + 8} bytes, got ${bytes}`);
}

export function unwrapFailed(field: string, wrappingKey: string): ProblemException {
  return keyRefused(422, field, 'key.unwrap-failed', `the blob does not unwrap under the transport key ${wrappingKey} (RFC 3394 integrity check)`);
}

export function keyExists(meterId: string, kind: string): ProblemException {
  return keyRefused(409, 'meterId', 'key.exists', `${meterId} already has a ${kind} key; rotate it instead`);
}

export function rotationPending(meterId: string, kind: string): ProblemException {
  return keyRefused(409, 'kind', 'key.rotation-pending', `${meterId} has a pending ${kind} key awaiting the meter's confirmation`);
}

export function noPendingKey(meterId: string, kind: string): ProblemException {
  return keyRefused(409, 'kind', 'key.nothing-pending', `${meterId} has no pending ${kind} key to confirm`);
}

export function keyNotUsable(meterId: string, kind: string, version: number, state: string): ProblemException {
  return keyRefused(409, 'version', 'key.destroyed', `${kind} key version ${version} of ${meterId} is ${state}`);
}

/** Also the answer for a meter of another tenant: whether its keys exist elsewhere is not told. */
export function unknownMeter(meterId: string, field = 'meterId'): ProblemException {
  return refused(404, SKM_PROBLEM_TYPES.meterUnknown, 'Unknown meter', field, 'meter.unknown', `no keys of meter ${meterId} are held for you`);
}

/** No such version; without `version`, no active key of that kind. */
export function unknownKeyVersion(meterId: string, kind: string, version?: number): ProblemException {
  const what = version === undefined ? `active ${kind} key` : `${kind} key version ${version}`;
  return refused(404, SKM_PROBLEM_TYPES.meterUnknown, 'Unknown key', version === undefined ? 'kind' : 'version', 'key.unknown', `${meterId} has no ${what}`);
}

export function noKeyOfKind(meterId: string, kind: string): ProblemException {
  return refused(404, SKM_PROBLEM_TYPES.meterUnknown, 'Unknown key', 'kinds', 'key.unknown', `${meterId} has no ${kind} key to rotate`);
}

export function bitsNotAllowed(kind: string, bits: number, allowed: readonly number[]): ProblemException {
  return keyRefused(400, 'bits', 'key.length', `a ${kind} key is AES-${allowed.join(' or AES-')}, not AES-${bits}`);
}

export function unknownTenant(field: string, value: string): ProblemException {
  return refused(404, SKM_PROBLEM_TYPES.tenantUnknown, 'Unknown tenant', field, 'tenant.unknown', `no tenant ${value}`, false);
}

export function tenantTaken(marketPartnerId: string): ProblemException {
  return refused(409, SKM_PROBLEM_TYPES.tenantConflict, 'Tenant exists', 'marketPartnerId', 'tenant.market-partner-taken', `a tenant with the market-partner id ${marketPartnerId} exists`);
}

export function memberTaken(subject: string): ProblemException {
  return refused(409, SKM_PROBLEM_TYPES.tenantConflict, 'Caller already bound', 'subject', 'tenant.member-bound', `${subject} already acts for a tenant`);
}

/** A caller whose subject is bound to no tenant: it may run SKM commands, but has no keys to run them on. */
export function notTenantMember(subject: string): ProblemException {
  return refused(403, SKM_PROBLEM_TYPES.notTenantMember, 'Tenant binding required', 'subject', 'tenant.member-required', `${subject} acts for no SKM tenant`);
}

export function unknownTransportKey(name: string, field = 'transportKey'): ProblemException {
  return refused(404, SKM_PROBLEM_TYPES.transportKeyUnknown, 'Unknown transport key', field, 'transport-key.unknown', `you have no transport key named ${name}`);
}

export function transportKeyTaken(name: string): ProblemException {
  return refused(409, SKM_PROBLEM_TYPES.transportKeyConflict, 'Transport key exists', 'name', 'transport-key.name-taken', `you already have a transport key named ${name}`, false);
}

export function componentLength(bits: number): ProblemException {
  return keyRefused(400, 'components', 'key.length', `every component of an AES-${bits} key is ${bits / 4} hex digits`);
}

export function rotationRunning(version: number): ProblemException {
  return refused(409, SKM_PROBLEM_TYPES.rotationConflict, 'Rotation running', 'tenant', 'master.rotation-running', `a rotation to master version ${version} is running`, false);
}

export function sameTenant(): ProblemException {
  return keyRefused(400, 'toTenant', 'provider-change.same-tenant', 'the keys already belong to this tenant');
}

export function duplicateMeter(meterId: string): ProblemException {
  return keyRefused(400, 'meterIds', 'provider-change.duplicate-meter', `${meterId} is listed twice`);
}

export function changedMeanwhile(meterId: string): ProblemException {
  const message = `the keys of ${meterId} changed during the transfer (a master-key rotation); nothing was moved, send the request again`;
  return refused(409, SKM_PROBLEM_TYPES.rotationConflict, 'Keys changed meanwhile', 'meterIds', 'provider-change.concurrent-change', message, false);
}

export function notTransferable(kind: string): ProblemException {
  return keyRefused(400, 'kinds', 'key.transfer-kind', `global_key_transfer carries DLMS keys (dlms-guek, dlms-gbek, dlms-ak, dlms-kek), not ${kind}`);
}
