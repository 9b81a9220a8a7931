/**
 * The service's key manager (@smpki/hsm's Pkcs11KeyManager, which implements its `KeyManager`). The lead binds it,
 * e.g. `{ provide: KEY_MANAGER, useFactory: (c: ServiceConfig, log: JsonLogger) => Pkcs11KeyManager.open(c.hsm!, log.child('Hsm')), inject: [SERVICE_CONFIG, JsonLogger] }`.
 */
export const KEY_MANAGER = Symbol('KEY_MANAGER');

/** What the platform itself calls on the key manager (readiness, shutdown); @smpki/hsm's KeyManager has both. */
export interface KeyManagerPort {
  health(): Promise<{ ok: boolean; token: string; detail?: string }>;
  close(): Promise<void>;
}
