/** @smpki/hsm: the key-manager contract and its PKCS#11 backend. */
export * from './key-manager';
export { HsmError, type HsmErrorCode } from './hsm-error';
export { silentHsmLogger, type HsmConfig, type HsmLogger } from './hsm-config';
export { formatPkcs11Uri, parsePkcs11Uri, type Pkcs11ObjectType, type Pkcs11Uri } from './pkcs11-uri';
export { Pkcs11KeyManager, type HsmCapabilities } from './pkcs11/pkcs11-key-manager';
export { DEFAULT_REQUIRED_MECHANISMS } from './pkcs11/mechanisms';
export type { HsmPoolStats } from './pkcs11/worker-pool';
export { SUPPORTED_CURVES } from './pkcs11/curves';
export { rawSignatureToDer, derSignatureToRaw } from './pkcs11/ecdsa-signature';
