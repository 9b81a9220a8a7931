/**
 * Child process of brainpool-tls-client.spec.ts: one HTTPS GET to argv[2] trusting the CA file argv[3], after
 * installing the platform's fix when argv[4] is "fixed". Prints `status <code> peer <CN>` (the peer certificate read
 * again after the hostname check) or `error <code>`; a crash of Node's legacy certificate conversion shows up as
 * SIGSEGV instead.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { installBrainpoolLegacyCertificateFix } from '../../../libs/platform/src/tls/brainpool-legacy-certificate';

const [url, caFile, mode] = process.argv.slice(2);
if (mode === 'fixed') installBrainpoolLegacyCertificateFix();
get(url!, { ca: readFileSync(caFile!) }, (response) => {
  response.resume();
  const peer = (response.socket as TLSSocket).getPeerX509Certificate();
  const cn = /CN=([^\n]+)/.exec(peer?.subject ?? '')?.[1];
  process.stdout.write(`status ${response.statusCode} peer ${cn}\n`);
}).on('error', (error: NodeJS.ErrnoException) => process.stdout.write(`error ${error.code}\n`));
