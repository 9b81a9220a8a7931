/** Protocol crypto of the SKM (DLMS/COSEM suite 0, OMS / wireless M-Bus), over a KeyManager: keys stay in the HSM. */
export * from './protocol-error';
export * from './invocation-counter';
export * from './dlms-security';
export * from './dlms-apdu';
export * from './dlms-key-transfer';
export * from './wmbus-frame';
export * from './oms-security';
