import type { FactoryProvider, InjectionToken, OptionalFactoryDependency, Provider, Type } from '@nestjs/common';

/** One dependency the service cannot serve without (database, HSM). `check` throws or rejects when it is not usable. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
  /** How long `check` may take before it counts as failed; READINESS_CHECK_TIMEOUT_MS by default. */
  readonly timeoutMs?: number;
}

export const READINESS_CHECK_TIMEOUT_MS = 3000;

/**
 * Marks the providers that make up the readiness checks. Nest has no multi-providers, so each check is its own
 * provider under a token whose description starts with this tag, from any module; the ReadinessService finds them
 * all at start-up (DiscoveryService). Add one with {@link provideReadinessCheck}.
 */
export const READINESS_CHECKS = 'READINESS_CHECKS';

const readinessCheckTokens = new Set<symbol>();

export function isReadinessCheckToken(token: unknown): token is symbol {
  return typeof token === 'symbol' && readinessCheckTokens.has(token);
}

export type ReadinessCheckSource =
  | { useValue: ReadinessCheck }
  | { useClass: Type<ReadinessCheck> }
  | {
      useFactory: (...deps: never[]) => ReadinessCheck | Promise<ReadinessCheck>;
      inject?: Array<InjectionToken | OptionalFactoryDependency>;
    };

/**
 * A provider that adds a check to /readyz, e.g. in a module's `providers`:
 * `provideReadinessCheck({ useFactory: (ds: DataSource) => ({ name: 'database', check: ... }), inject: [DATA_SOURCE] })`.
 */
export function provideReadinessCheck(source: ReadinessCheckSource, label = 'check'): Provider {
  const token = Symbol(`${READINESS_CHECKS}:${label}`);
  readinessCheckTokens.add(token);
  return { provide: token, ...source } as Provider | FactoryProvider;
}
