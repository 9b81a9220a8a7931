import { formatAuditVerificationReport, readTrustedKey, verifyAuditChain } from '@smpki/audit';
import type { CliContext } from '../cli-context';

/**
 * Verifies the service's audit chain. Trusted checkpoint keys: the PEM files given, else the public half of the
 * configured checkpoint key read from the HSM. Returns the exit status: 0 intact, 1 broken.
 */
export async function verifyAudit(context: CliContext, trustedKeyFiles: string[], out: (line: string) => void): Promise<number> {
  const trusted = trustedKeyFiles.map(readTrustedKey);
  const uri = context.config.audit.checkpointKeyUri;
  if (trusted.length === 0 && uri) trusted.push((await (await context.keys()).getPublicKey(uri)).spki);
  if (trusted.length === 0) throw new Error('no trusted checkpoint key: pass --trusted-key <pem> or configure SMPKI_AUDIT_CHECKPOINT_KEY');
  const report = await verifyAuditChain(await context.database(), {
    trustedCheckpointKeys: trusted,
    // The service seals every checkpointEvery events: a longer unsealed run means checkpoints were removed.
    ...(uri ? { maxUnsealedEntries: context.config.audit.checkpointEvery } : {}),
  });
  out(formatAuditVerificationReport(report));
  return report.ok ? 0 : 1;
}
