/** Software AES for the test side only: what a manufacturer or head-end system does with its clear keys. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const RFC3394_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

/** KCV: first 3 bytes of AES-ECB(key, 0^16), uppercase hex. */
export function softwareKcv(key: Buffer): string {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.alloc(16)), cipher.final()]).subarray(0, 3).toString('hex').toUpperCase();
}

export function softwareWrap(kek: Buffer, key: Buffer): Buffer {
  const cipher = createCipheriv(`id-aes${kek.length * 8}-wrap`, kek, RFC3394_IV);
  return Buffer.concat([cipher.update(key), cipher.final()]);
}

export function softwareUnwrap(kek: Buffer, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv(`id-aes${kek.length * 8}-wrap`, kek, RFC3394_IV);
  return Buffer.concat([decipher.update(wrapped), decipher.final()]);
}

/** Two random components whose XOR is `key` (a split-knowledge hand-over), hex. */
export function splitIntoComponents(key: Buffer): [string, string] {
  const first = randomBytes(key.length);
  const second = Buffer.from(key.map((byte, index) => byte ^ first[index]!));
  return [first.toString('hex'), second.toString('hex')];
}
