/** A SoftHSM2 key manager with a tenant master, and test vector keys stored the way the SKM stores them. */
import type { WrappedKey } from '@smpki/hsm';
import { openTestKeyManager, type TestKeyManager } from '../../hsm/support/test-key-manager';

export interface ProtocolKeys {
  t: TestKeyManager;
  master: string;
  /** Imports a known value as a wrappable key, keeps it only wrapped under the master, destroys the token copy. */
  stored(name: string, value: Buffer): Promise<WrappedKey>;
}

export const hex = (value: string): Buffer => Buffer.from(value.replace(/\s/g, ''), 'hex');

export async function openProtocolKeys(): Promise<ProtocolKeys> {
  const t = await openTestKeyManager();
  const master = t.uri('tenant-master');
  await t.km.createAesKey(master, { bits: 256, usages: ['wrap', 'unwrap'] });
  return {
    t,
    master,
    stored: async (name, value) => {
      const uri = t.uri(name);
      await t.km.importAesKey(uri, value, { bits: 128, usages: ['encrypt', 'decrypt', 'sign', 'wrap', 'derive'], wrappable: true });
      const wrapped = { wrappingKeyUri: master, wrapped: await t.km.wrapKey(master, uri) };
      await t.km.destroyKey(uri);
      return wrapped;
    },
  };
}
