/**
 * Child process of brainpool-tls-client.spec.ts: one HTTPS GET to argv[2] trusting the CA file argv[3], after
 * installing the platform's fix when argv[4] is "fixed". Prints `status <code>` or `error <code>` and exits 0; a
 * crash of Node's legacy certificate conversion shows up as SIGSEGV instead.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { installBrainpoolLegacyCertificateFix } from '../../../libs/platform/src/tls/brainpool-legacy-certificate';

const [url, caFile, mode] = process.argv.slice(2);
if (mode === 'fixed') installBrainpoolLegacyCertificateFix();
get(url!, { ca: readFileSync(caFile!) }, (response) => {
  response.resume();
  process.stdout.write(`status ${response.statusCode}\n`);
}).on('error', (error: NodeJS.ErrnoException) => process.stdout.write(`error ${error.code}\n`));
