/**
 * One worker's session with the token: loads the module, initialises it, finds the token by label, opens a
 * session and logs in. Every module call goes through {@link TokenSession.execute}, which recovers from lost
 * sessions (module restarted, sessions closed, token re-inserted, logged out) and retries the call once.
 *
 * PKCS#11 state is per process ("application"): C_Initialize and C_Login are shared by all threads, so
 * CKR_CRYPTOKI_ALREADY_INITIALIZED and CKR_USER_ALREADY_LOGGED_IN mean another worker got there first.
 */
import pkcs11js from 'pkcs11js';
import type { PKCS11 } from 'pkcs11js';
import { HsmError, type HsmErrorCode } from '../../hsm-error';
import { ckrOf, toHsmError } from './pkcs11-failure';
import { ControlSlot } from '../worker-protocol';

/** Return values after which the session (or the whole module) must be re-established. */
const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_USER_NOT_LOGGED_IN',
]);
/**
 * SoftHSM reads its token files at C_Initialize; a token that another process is rewriting at that moment (a
 * login updates its token.object) shows up without its label. Looking again after re-initialising finds it.
 */
const TOKEN_LOOKUP_ATTEMPTS = 25;
const TOKEN_LOOKUP_PAUSE_MS = 200;

/** Return values at start-up that another process's update of the token explains (looked at again, then reported). */
const TRANSIENT_AT_START = new Set(['CKR_GENERAL_ERROR', 'CKR_TOKEN_NOT_PRESENT', 'CKR_TOKEN_NOT_RECOGNIZED', 'CKR_DEVICE_ERROR', 'CKR_USER_PIN_NOT_INITIALIZED']);

/** Return values that mean a cached object handle went stale (the object was re-created, or the module restarted). */
const HANDLE_STALE = new Set([
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_WRAPPING_KEY_HANDLE_INVALID',
  'CKR_UNWRAPPING_KEY_HANDLE_INVALID',
]);

/** True for return values that {@link TokenSession.execute} recovers from (so callers must not swallow them). */
export function isRecoverable(ckr: string | undefined): boolean {
  return ckr !== undefined && (SESSION_LOST.has(ckr) || HANDLE_STALE.has(ckr));
}

/** Session states in which the user is logged in (pkcs11js does not export the CKS_* constants). */
export const CKS_RO_USER_FUNCTIONS = 1;
export const CKS_RW_USER_FUNCTIONS = 3;

export interface TokenSessionSetup {
  modulePath: string;
  tokenLabel: string;
  pin: string;
  index: number;
}

export type WorkerLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: object) => void;

function ignoring(ckrNames: string[], call: () => void): void {
  try {
    call();
  } catch (error) {
    if (!ckrNames.includes(ckrOf(error) ?? '')) throw error;
  }
}

export class TokenSession {
  readonly pkcs11: PKCS11 = new pkcs11js.PKCS11();
  private readonly setup: TokenSessionSetup;
  private readonly control: Int32Array;
  private readonly log: WorkerLog;
  private readonly resetListeners: Array<() => void> = [];
  private slotHandle: Buffer | undefined;
  private sessionHandle: Buffer | undefined;
  private epochSeen = 0;

  constructor(setup: TokenSessionSetup, control: Int32Array, log: WorkerLog) {
    this.setup = setup;
    this.control = control;
    this.log = log;
  }

  get session(): Buffer {
    if (!this.sessionHandle) throw new HsmError('session', 'no PKCS#11 session is open');
    return this.sessionHandle;
  }

  get slot(): Buffer {
    if (!this.slotHandle) throw new HsmError('session', 'the token slot is not known');
    return this.slotHandle;
  }

  /** Called whenever the session is replaced: handles and session objects of the old one are gone. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** Loads and initialises the module, finds the token, opens a session and logs in. */
  open(): void {
    try {
      this.pkcs11.load(this.setup.modulePath);
    } catch (error) {
      throw new HsmError('invalid-config', `cannot load PKCS#11 module ${this.setup.modulePath}: ${(error as Error).message}`);
    }
    this.initialize();
    this.openAtStart();
    this.epochSeen = Atomics.load(this.control, ControlSlot.epoch);
  }

  /**
   * Finds the token and logs in, looking again for a few seconds while the token is being written by another
   * process: several services starting at once on one SoftHSM2 token see CKR_GENERAL_ERROR from a token file read
   * half-way through another process's update.
   */
  private openAtStart(): void {
    for (let attempt = 1; ; attempt++) {
      try {
        this.slotHandle = this.findSlotAtStart();
        this.openAndLogin();
        return;
      } catch (error) {
        // login() reports an HsmError carrying the return value; the module's own errors carry it in the message.
        const ckr = (error instanceof HsmError ? error.ckr : undefined) ?? ckrOf(error);
        if (!TRANSIENT_AT_START.has(ckr ?? '') || attempt >= TOKEN_LOOKUP_ATTEMPTS) throw error;
        this.log('warn', 'token not readable yet, looking again', { worker: this.setup.index, ckr, attempt });
        this.pauseBeforeLookingAgain();
      }
    }
  }

  /**
   * findSlot, re-reading the module's token list a few times before a missing token counts as missing. A token
   * whose user PIN is not set yet is also looked at again: `softhsm2-util --init-token` labels the token
   * (C_InitToken) a moment before it sets the user PIN (C_InitPIN), and a service starting in that moment would
   * otherwise fail its login. After the last attempt the login itself reports what is wrong.
   */
  private findSlotAtStart(): Buffer {
    for (let attempt = 1; ; attempt++) {
      try {
        const slot = this.findSlot();
        if (this.userPinInitialised(slot) || attempt >= TOKEN_LOOKUP_ATTEMPTS) return slot;
        this.pauseBeforeLookingAgain();
      } catch (error) {
        const retryable = (error instanceof HsmError && error.code === 'token-not-found') || ckrOf(error) === 'CKR_CRYPTOKI_NOT_INITIALIZED';
        if (!retryable || attempt >= TOKEN_LOOKUP_ATTEMPTS) throw error;
        this.pauseBeforeLookingAgain();
      }
    }
  }

  private userPinInitialised(slot: Buffer): boolean {
    return (this.pkcs11.C_GetTokenInfo(slot).flags & pkcs11js.CKF_USER_PIN_INITIALIZED) !== 0;
  }

  /** SoftHSM reads the token files at C_Initialize only: re-initialise to see another process's changes. */
  private pauseBeforeLookingAgain(): void {
    ignoring(['CKR_CRYPTOKI_NOT_INITIALIZED'], () => this.pkcs11.C_Finalize());
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, TOKEN_LOOKUP_PAUSE_MS);
    this.initialize();
  }

  /**
   * Runs `call` (a few module calls); on a lost session or stale handle, recovers and runs it once more with
   * `retry` = true (creation uses that to look for the object before creating it again). Any failure comes out as
   * an HsmError saying `action` failed and why.
   */
  execute<T>(action: string, call: (retry: boolean) => T, codes?: Partial<Record<string, HsmErrorCode>>): T {
    try {
      this.followEpoch();
      return call(false);
    } catch (first) {
      const ckr = ckrOf(first);
      if (ckr === undefined || !(SESSION_LOST.has(ckr) || HANDLE_STALE.has(ckr))) throw toHsmError(action, first, codes);
      try {
        if (SESSION_LOST.has(ckr)) this.recover(ckr, action);
        else this.refreshHandles();
        return call(true);
      } catch (second) {
        throw toHsmError(action, second, codes);
      }
    }
  }

  /** Closes the session; with `finalize`, also finalises the module (the last user in this process). */
  close(finalize: boolean): void {
    const session = this.sessionHandle;
    this.sessionHandle = undefined;
    try {
      if (session) this.pkcs11.C_CloseSession(session);
    } catch {
      // Already gone with the module or the token: nothing to close.
    }
    if (finalize) {
      try {
        this.pkcs11.C_Finalize();
      } catch {
        // Another user finalised it already.
      }
    }
  }

  private initialize(): void {
    // One worker at a time: two concurrent C_Initialize calls (both workers finding the module finalised) leave
    // SoftHSM half set up (CKR_USER_PIN_NOT_INITIALIZED, CKR_GENERAL_ERROR afterwards).
    // Bounded: a worker replaced by the watchdog while it held the flag must not block the others for good.
    for (let waited = 0; waited < 50 && Atomics.compareExchange(this.control, ControlSlot.initializing, 0, 1) !== 0; waited++) {
      Atomics.wait(this.control, ControlSlot.initializing, 1, 100);
    }
    try {
      ignoring(['CKR_CRYPTOKI_ALREADY_INITIALIZED'], () => this.pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }));
    } catch (error) {
      throw toHsmError(`initialising PKCS#11 module ${this.setup.modulePath}`, error);
    } finally {
      Atomics.store(this.control, ControlSlot.initializing, 0);
      Atomics.notify(this.control, ControlSlot.initializing);
    }
  }

  private findSlot(): Buffer {
    const labels: string[] = [];
    for (const slot of this.pkcs11.C_GetSlotList(true)) {
      const label = this.pkcs11.C_GetTokenInfo(slot).label.trimEnd();
      if (label === this.setup.tokenLabel) return slot;
      labels.push(`'${label}'`);
    }
    throw new HsmError(
      'token-not-found',
      `no token labelled '${this.setup.tokenLabel}' in PKCS#11 module ${this.setup.modulePath} (tokens present: ${labels.join(', ') || 'none'})`,
    );
  }

  private openAndLogin(): void {
    const session = this.pkcs11.C_OpenSession(this.slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      this.login(session);
    } catch (error) {
      ignoring(['CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED'], () => this.pkcs11.C_CloseSession(session));
      throw error;
    }
    this.sessionHandle = session;
  }

  private login(session: Buffer): void {
    try {
      ignoring(['CKR_USER_ALREADY_LOGGED_IN'], () => this.pkcs11.C_Login(session, pkcs11js.CKU_USER, this.setup.pin));
    } catch (error) {
      // The message names the token and the reason, never the PIN.
      throw toHsmError(`logging in to token '${this.setup.tokenLabel}' of ${this.setup.modulePath}`, error);
    }
  }

  /** Another worker re-opened its session after the module lost sessions: ours is gone too. */
  private followEpoch(): void {
    const epoch = Atomics.load(this.control, ControlSlot.epoch);
    if (epoch === this.epochSeen && this.sessionHandle) return;
    this.epochSeen = epoch;
    // The old handle is not closed: after a module restart its number may belong to another worker's new session.
    this.sessionHandle = undefined;
    this.notifyReset();
    this.openAndLogin();
  }

  private recover(ckr: string, action: string): void {
    this.log('warn', 'PKCS#11 session lost, re-establishing it and retrying once', { worker: this.setup.index, ckr, action });
    if (ckr === 'CKR_USER_NOT_LOGGED_IN') {
      // Someone logged the application out: the session stands, its private session objects are gone.
      this.notifyReset();
      this.login(this.session);
      return;
    }
    // Tell the other workers before opening anything, so none of them keeps using a handle number we may get.
    this.epochSeen = Atomics.add(this.control, ControlSlot.epoch, 1) + 1;
    if ((ckr === 'CKR_DEVICE_REMOVED' || ckr === 'CKR_TOKEN_NOT_PRESENT') && this.sessionHandle) {
      const old = this.sessionHandle;
      try {
        this.pkcs11.C_CloseSession(old);
      } catch {
        // Gone with the device.
      }
    }
    this.sessionHandle = undefined;
    this.notifyReset();
    if (ckr === 'CKR_CRYPTOKI_NOT_INITIALIZED') this.initialize();
    // Slot numbers may change when the module restarts or the token is re-inserted.
    this.slotHandle = this.findSlot();
    this.openAndLogin();
  }

  /**
   * Cached handles went stale: forget them. A logout by another part of the application also invalidates handles
   * (private session objects are destroyed) without any call reporting CKR_USER_NOT_LOGGED_IN: log in again then.
   */
  private refreshHandles(): void {
    this.notifyReset();
    const state = this.pkcs11.C_GetSessionInfo(this.session).state;
    if (state !== CKS_RO_USER_FUNCTIONS && state !== CKS_RW_USER_FUNCTIONS) this.login(this.session);
  }

  private notifyReset(): void {
    for (const listener of this.resetListeners) listener();
  }
}
