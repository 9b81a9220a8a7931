import type { LogLevelName } from '../logging/log-level';
import type { ServiceName } from './service-name';

export interface HttpConfig {
  host: string;
  port: number;
  /** How long a stopping service waits for in-flight requests before it closes their connections. */
  shutdownGraceMs: number;
}

/** TLS for the HTTP listener. With `clientCaFile` the service asks callers for a certificate (mutual TLS). */
export interface TlsConfig {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

// One definition each, owned by the library that consumes it; the platform only fills them from the environment.
import type { HsmConfig } from '@smpki/hsm';
import type { DatabaseConfig } from '@smpki/persistence';
export type { DatabaseConfig, HsmConfig };

export interface AuthConfig {
  /** RFC 7512 PKCS#11 URI of the ES256 (P-256) key that signs access tokens (or, on services that only verify, whose public key they trust). */
  tokenKeyUri: string;
  issuer: string;
  /** Token `aud`, pinned on verification. */
  audience: string;
  tokenTtlSeconds: number;
  /** PEM files of further P-256 public keys whose tokens are accepted (key rotation, a token issuer in another HSM). */
  verificationKeyFiles: string[];
}

/** Who may call which command, and which client certificates carry which roles. */
export interface AccessConfig {
  /** JSON access rules replacing the built-in table (validated at start). */
  rulesFile?: string;
  /** JSON table mapping client certificates (fingerprint, subject, policy, OU) to roles. */
  clientCertificateRolesFile?: string;
}

export interface AuditConfig {
  /** RFC 7512 URI of the key that signs audit checkpoints; without it the chain is hashed but not sealed. */
  checkpointKeyUri?: string;
  /** A signed checkpoint after this many events (and at shutdown). */
  checkpointEvery: number;
}

/**
 * Everything a service reads from its environment, parsed and checked once at start. Libraries receive the part
 * they need; none of them reads `process.env`. JSON.stringify, String() and util.inspect of this object (and of its
 * `hsm` and `database` parts) show the HSM PIN and any database password as `[REDACTED]`.
 */
export interface ServiceConfig {
  service: ServiceName;
  /** `smpki-<service>`: the name in logs and error lines. */
  displayName: string;
  http: HttpConfig;
  /** Absent: plain HTTP (behind a TLS-terminating proxy, or in development). */
  tls?: TlsConfig;
  database: DatabaseConfig;
  /** Absent when no SMPKI_HSM_* variable is set; services that need keys require it (see `requires`). */
  hsm?: HsmConfig;
  /** Absent when no SMPKI_AUTH_* variable is set. */
  auth?: AuthConfig;
  access: AccessConfig;
  audit: AuditConfig;
  dataDir: string;
  logLevel: LogLevelName;
}

/** Optional parts of the configuration a service can declare mandatory. */
export type RequiredSection = 'tls' | 'mutual-tls' | 'hsm' | 'auth';
