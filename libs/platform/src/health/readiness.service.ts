import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { isReadinessCheckToken, READINESS_CHECK_TIMEOUT_MS, type ReadinessCheck } from './readiness-check';
import { ServiceLifecycle } from './service-lifecycle';

export type CheckStatus = 'ok' | 'failed' | 'timeout';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  durationMs: number;
  /** The error, for the log only: it may name hosts, paths or token labels. */
  error?: unknown;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: CheckResult[];
}

class CheckTimeout extends Error {}

async function runCheck(check: ReadinessCheck): Promise<CheckResult> {
  const started = performance.now();
  const timeoutMs = check.timeoutMs ?? READINESS_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // A hung database must make the probe fail, not hang it: the probe's own timeout would hide which check hung.
    await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
    return { name: check.name, status: 'ok', durationMs: performance.now() - started };
  } catch (error) {
    return { name: check.name, status: error instanceof CheckTimeout ? 'timeout' : 'failed', durationMs: performance.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every registered readiness check, in parallel, each bounded by its timeout. */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap {
  private checks: ReadinessCheck[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  onApplicationBootstrap(): void {
    this.checks = this.discovery
      .getProviders()
      .filter((wrapper) => isReadinessCheckToken(wrapper.token) && wrapper.instance)
      .map((wrapper) => wrapper.instance as ReadinessCheck);
  }

  get checkNames(): string[] {
    return this.checks.map((check) => check.name);
  }

  async report(): Promise<ReadinessReport> {
    const checks = await Promise.all(this.checks.map(runCheck));
    const draining = this.lifecycle.draining;
    return { ready: !draining && checks.every((check) => check.status === 'ok'), draining, checks };
  }
}
