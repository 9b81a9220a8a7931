/**
 * `describe` for suites that need PostgreSQL. jest collects tests synchronously, so whether the server is there is
 * decided once per test file by running test/support/postgres.ts's postgresAvailable() in a child process: with
 * CI=true an absent server fails the file (it throws); elsewhere the suite is skipped, visibly, only then.
 */
import { runTypescriptSync } from './run-typescript';

let reachable: boolean | undefined;

function postgresReachable(): boolean {
  if (reachable === undefined) {
    const probe = runTypescriptSync(
      "require('./test/support/postgres.ts').postgresAvailable().then((ok) => process.exit(ok ? 0 : 3), (error) => { console.error(error.message); process.exit(4); })",
    );
    if (probe.status === 4 || probe.status === null || (probe.status !== 0 && probe.status !== 3)) {
      throw new Error(`PostgreSQL probe failed: ${probe.stderr.trim() || probe.error?.message || `status ${probe.status}`}`);
    }
    reachable = probe.status === 0;
  }
  return reachable;
}

export function describePostgres(name: string, suite: () => void): void {
  if (postgresReachable()) describe(name, suite);
  else describe.skip(`${name} (PostgreSQL not reachable: skipped)`, suite);
}
