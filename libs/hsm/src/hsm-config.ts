/** Configuration of the PKCS#11 key manager, parsed from the environment by @smpki/platform and passed down. */
export interface HsmConfig {
  /** Path of the PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  modulePath: string;
  /** CKA_LABEL of the token (the `token=` attribute of every key URI). */
  tokenLabel: string;
  /** User PIN. Never logged, never put in an error message. */
  pin: string;
  /** Number of worker threads, each with its own session. Typically os.availableParallelism(). */
  workers: number;
  /** Deadline of every call into the module; a call that takes longer fails with HsmError code 'timeout'. */
  callTimeoutMs: number;
  /**
   * Mechanisms the module must offer (names such as `CKM_AES_KEY_WRAP`, or vendor numbers as `0x80000001`).
   * Default: {@link DEFAULT_REQUIRED_MECHANISMS}.
   */
  requiredMechanisms?: string[];
  /**
   * Environment variables the PKCS#11 module reads when it is initialised (e.g. `SOFTHSM2_CONF`), set in the
   * process environment by the workers before C_Initialize. Modules read the real process environment, which a
   * test runner's sandboxed `process.env` (jest) does not reach.
   */
  moduleEnvironment?: Record<string, string>;
  /**
   * Requests in flight per worker (default 32). Several are queued in each worker so that it never waits for the
   * main thread between two calls.
   */
  pipelineDepth?: number;
  /**
   * Use per-session copies of token keys (C_CopyObject with CKA_TOKEN=false; still sensitive and never extractable,
   * destroyed with the session). Default true. SoftHSM re-reads its object files on every use of a token object,
   * which costs ~10% of a brainpoolP256r1 signature; a session copy does not. Modules that refuse the copy fall
   * back to the token object automatically.
   */
  sessionKeyCopies?: boolean;
}

export interface HsmLogger {
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

/** Used when the caller passes no logger. */
export const silentHsmLogger: HsmLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
