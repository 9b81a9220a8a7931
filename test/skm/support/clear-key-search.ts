/** Looks for a clear key in any of its usual spellings: hex (both cases), base64, base64url and raw bytes. */
export function spellingsOf(key: Buffer): Array<{ form: string; bytes: Buffer }> {
  return [
    { form: 'HEX', bytes: Buffer.from(key.toString('hex').toUpperCase(), 'latin1') },
    { form: 'hex', bytes: Buffer.from(key.toString('hex'), 'latin1') },
    { form: 'base64', bytes: Buffer.from(key.toString('base64'), 'latin1') },
    { form: 'base64url', bytes: Buffer.from(key.toString('base64url'), 'latin1') },
    { form: 'raw', bytes: key },
  ];
}

/** `<where>: <form>` for every spelling of every key found in the haystack. */
export function clearKeyFindings(where: string, haystack: Buffer, keys: ReadonlyMap<string, Buffer>): string[] {
  const findings: string[] = [];
  for (const [name, key] of keys) {
    for (const { form, bytes } of spellingsOf(key)) if (haystack.includes(bytes)) findings.push(`${where}: ${name} as ${form}`);
  }
  return findings;
}
