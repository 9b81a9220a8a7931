import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type Name } from '@peculiar/asn1-x509';
import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnKey, formatDn, parseDn, rdnsOf } from './distinguished-name';

describe('distinguished names', () => {
  it('parses RFC 4514 with escapes, multi-valued RDNs and OIDs', () => {
    expect(parseDn('CN=ACME\\, Inc.+serialNumber=7,o=ACME GmbH ,2.5.4.97=X\\2bY,c=DE')).toEqual([
      [
        { type: 'CN', value: 'ACME, Inc.' },
        { type: 'serialNumber', value: '7' },
      ],
      [{ type: 'O', value: 'ACME GmbH' }],
      [{ type: '2.5.4.97', value: 'X+Y' }],
      [{ type: 'C', value: 'DE' }],
    ]);
    expect(parseDn('CN=trailing\\ ')).toEqual([[{ type: 'CN', value: 'trailing ' }]]);
  });

  it('refuses malformed names clearly', () => {
    expect(() => parseDn('CN')).toThrow('missing "="');
    expect(() => parseDn('Common=x')).toThrow('unknown attribute type "Common"');
    expect(() => parseDn('CN=x\\')).toThrow('dangling');
    expect(() => parseDn('')).toThrow('empty');
  });

  it('formats what it parses and matches case-insensitively, ignoring the order inside an RDN', () => {
    const rdns = parseDn('CN=ACME\\, Inc.+serialNumber=7,O=ACME,C=DE');
    expect(formatDn(rdns)).toBe('CN=ACME\\, Inc.+serialNumber=7,O=ACME,C=DE');
    expect(dnKey(parseDn('serialnumber=7+cn=acme\\, inc., o=acme, c=de'))).toBe(dnKey(rdns));
    expect(dnKey(parseDn('CN=ACME,O=ACME,C=DE'))).not.toBe(dnKey(parseDn('CN=ACME,O=ACME,C=AT')));
  });

  it('renders a certificate subject most specific first, as openssl -nameopt RFC2253 does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-dn-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'),
        '-out', join(dir, 'c.pem'), '-subj', '/C=DE/O=ACME, Inc./OU=9900000000001/CN=gw-admin-1', '-days', '1'], { stdio: 'pipe' });
      const pem = readFileSync(join(dir, 'c.pem'));
      const subject = AsnConvert.parse(new X509Certificate(pem).raw, Certificate).tbsCertificate.subject;
      const expected = execFileSync('openssl', ['x509', '-in', join(dir, 'c.pem'), '-noout', '-subject', '-nameopt', 'RFC2253']).toString().trim();
      expect(`subject=${formatDn(rdnsOf(subject as Name))}`).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
