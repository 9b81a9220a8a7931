import type { Curve } from '@smpki/hsm';
import type { CliContext } from '../cli-context';

interface PlatformKey {
  purpose: string;
  uri: string | undefined;
  /** JOSE has no brainpool: access tokens are ES256 on P-256. Audit checkpoints are brainpool like the PKI. */
  curve: Curve;
}

/**
 * Creates the platform's own keys in the token when they are missing: the access-token signing key and the
 * audit-checkpoint key. Idempotent; every key created is recorded in the service's audit trail.
 */
export async function initPlatformKeys(context: CliContext, out: (line: string) => void): Promise<void> {
  const wanted: PlatformKey[] = [
    { purpose: 'access-token signing (ES256)', uri: context.config.auth?.tokenKeyUri, curve: 'P-256' },
    { purpose: 'audit checkpoint signing', uri: context.config.audit.checkpointKeyUri, curve: 'brainpoolP256r1' },
  ];
  const keys = await context.keys();
  const audit = await context.audit();
  for (const key of wanted) {
    if (!key.uri) {
      out(`skipped ${key.purpose}: no key URI configured`);
      continue;
    }
    if (await keys.findKey(key.uri)) {
      out(`present ${key.uri} (${key.purpose})`);
      continue;
    }
    await keys.createEcKeyPair(key.uri, key.curve, { usages: ['sign'] });
    await audit.append({ action: 'hsm.key.create', outcome: 'success', actor: 'smpki-cli', target: key.uri, details: { kind: 'ec', curve: key.curve, purpose: key.purpose } });
    out(`created ${key.uri} (${key.curve}, ${key.purpose})`);
  }
}
