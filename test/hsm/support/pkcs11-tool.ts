/** `pkcs11-tool --list-objects` (OpenSC) as an independent view of what is in the token. */
import { execFileSync } from 'node:child_process';
import type { TestToken } from '../../support/softhsm';

export interface ListedObject {
  heading: string;
  label?: string;
  usage?: string;
  access?: string;
}

export function listObjectsWithPkcs11Tool(token: TestToken): ListedObject[] {
  const output = execFileSync(
    'pkcs11-tool',
    ['--module', token.modulePath, '--token-label', token.label, '--login', '--pin', token.userPin, '--list-objects'],
    { env: { ...process.env, SOFTHSM2_CONF: token.configPath }, encoding: 'utf8' },
  );
  const objects: ListedObject[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      objects.push({ heading: line.trim() });
      continue;
    }
    const field = /^\s+(label|Usage|Access):\s+(.*)$/.exec(line);
    const current = objects[objects.length - 1];
    if (field && current) current[field[1]!.toLowerCase() as 'label' | 'usage' | 'access'] = field[2]!.trim();
  }
  return objects;
}
