/** The PKCS#11 key manager before auditing is wrapped around it: only the audit trail's own checkpoint signer uses it. */
export const RAW_KEY_MANAGER = Symbol('RAW_KEY_MANAGER');
