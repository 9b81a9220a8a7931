/**
 * A separate process appending to a shared SQLite audit trail (concurrent-appenders.it-spec.ts):
 *   append-worker.ts <sqlite file> <worker name> <count>
 * Prints the seqs it was given, as JSON, on stdout.
 */
import { AuditTrail } from '@smpki/audit';
import { openDatabase } from '@smpki/persistence';

async function main([path, worker, count]: string[]): Promise<void> {
  const dataSource = await openDatabase({ type: 'better-sqlite3', path, busyTimeoutMs: 20000 });
  try {
    const trail = new AuditTrail(dataSource, { service: 'sub-ca' });
    const seqs: number[] = [];
    for (let n = 1; n <= Number(count); n++) {
      seqs.push((await trail.append({ action: 'certificate.issued', outcome: 'success', actor: worker, details: { n } })).seq);
    }
    process.stdout.write(JSON.stringify(seqs));
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
