/**
 * Finds token objects by label (the URI's `object`) and caches the handles this worker uses for crypto, per key
 * and per session. With session copies on, the cached handle is a C_CopyObject of the token key with
 * CKA_TOKEN=false: same attributes (sensitive, never extractable), lives only as long as the session, and spares
 * SoftHSM the re-read of its object files that every use of a token object costs.
 */
import pkcs11js from 'pkcs11js';
import type { Template } from 'pkcs11js';
import { HsmError } from '../../hsm-error';
import type { KeyRef } from '../worker-protocol';
import { ckrOf } from './pkcs11-failure';
import { isRecoverable, type TokenSession, type WorkerLog } from './token-session';

const OBJECT_TYPE_CLASS: Record<string, number> = {
  public: pkcs11js.CKO_PUBLIC_KEY,
  private: pkcs11js.CKO_PRIVATE_KEY,
  'secret-key': pkcs11js.CKO_SECRET_KEY,
  cert: pkcs11js.CKO_CERTIFICATE,
  data: pkcs11js.CKO_DATA,
};

const CLASS_WORDS: Record<number, string> = {
  [pkcs11js.CKO_PUBLIC_KEY]: 'public key',
  [pkcs11js.CKO_PRIVATE_KEY]: 'private key',
  [pkcs11js.CKO_SECRET_KEY]: 'secret key',
};

interface CachedHandle {
  label: string;
  handle: Buffer;
  copy: boolean;
}

export class KeyHandles {
  private readonly session: TokenSession;
  private readonly log: WorkerLog;
  private useCopies: boolean;
  private readonly cache = new Map<string, CachedHandle>();

  constructor(session: TokenSession, useCopies: boolean, log: WorkerLog) {
    this.session = session;
    this.useCopies = useCopies;
    this.log = log;
    // A new session has new handles, and the copies went with the old one.
    session.onReset(() => this.cache.clear());
  }

  /** Every token object (never our session objects) named by `ref`, optionally of one class. */
  findTokenObjects(ref: KeyRef, objectClass?: number): Buffer[] {
    if (ref.type !== undefined && objectClass !== undefined && OBJECT_TYPE_CLASS[ref.type] !== objectClass) return [];
    const template: Template = [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: ref.label },
    ];
    const wantedClass = objectClass ?? (ref.type !== undefined ? OBJECT_TYPE_CLASS[ref.type] : undefined);
    if (wantedClass !== undefined) template.push({ type: pkcs11js.CKA_CLASS, value: wantedClass });
    if (ref.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(ref.id, 'hex') });
    return this.find(template);
  }

  /** All token objects matching a template (plus CKA_TOKEN=true). */
  find(template: Template): Buffer[] {
    const { pkcs11 } = this.session;
    const session = this.session.session;
    pkcs11.C_FindObjectsInit(session, [...template, { type: pkcs11js.CKA_TOKEN, value: true }]);
    try {
      const handles: Buffer[] = [];
      for (let batch = pkcs11.C_FindObjects(session, 100); batch.length > 0; batch = pkcs11.C_FindObjects(session, 100)) {
        handles.push(...batch);
      }
      return handles;
    } finally {
      pkcs11.C_FindObjectsFinal(session);
    }
  }

  /** The single token object of `objectClass` named by `ref`. */
  tokenObject(ref: KeyRef, objectClass: number): Buffer {
    const found = this.findTokenObjects(ref, objectClass);
    const what = CLASS_WORDS[objectClass] ?? 'object';
    if (found.length === 0) throw new HsmError('not-found', `there is no ${what} ${ref.uri} in the token`);
    if (found.length > 1) throw new HsmError('invalid-input', `${ref.uri} is ambiguous: ${found.length} ${what}s have that label (name one by id=)`);
    return found[0]!;
  }

  /** The handle to compute with: cached, and a session copy when copies are on. */
  useKey(ref: KeyRef, objectClass: number): Buffer {
    const cacheKey = `${objectClass}\u0000${ref.label}\u0000${ref.id ?? ''}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached.handle;
    const tokenHandle = this.tokenObject(ref, objectClass);
    const entry = this.copyOf(tokenHandle, ref.label);
    this.cache.set(cacheKey, entry);
    return entry.handle;
  }

  /** Forgets (and destroys the session copies of) keys with these labels, e.g. after they were destroyed. */
  invalidate(labels: string[]): void {
    const gone = new Set(labels);
    for (const [cacheKey, entry] of this.cache) {
      if (!gone.has(entry.label)) continue;
      this.cache.delete(cacheKey);
      if (entry.copy) this.destroyQuietly(entry.handle);
    }
  }

  destroyQuietly(handle: Buffer): void {
    try {
      this.session.pkcs11.C_DestroyObject(this.session.session, handle);
    } catch {
      // Already gone (the session closed or the module restarted): nothing to clean up.
    }
  }

  private copyOf(tokenHandle: Buffer, label: string): CachedHandle {
    if (!this.useCopies) return { label, handle: tokenHandle, copy: false };
    try {
      const handle = this.session.pkcs11.C_CopyObject(this.session.session, tokenHandle, [{ type: pkcs11js.CKA_TOKEN, value: false }]);
      return { label, handle, copy: true };
    } catch (error) {
      if (isRecoverable(ckrOf(error))) throw error;
      // A module that refuses copies (CKA_COPYABLE=false, or a policy) is used through its token objects.
      this.useCopies = false;
      this.log('info', 'the token refuses session copies of keys; using token objects directly', { reason: (error as Error).message });
      return { label, handle: tokenHandle, copy: false };
    }
  }
}
