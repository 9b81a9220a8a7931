/**
 * bench/encoding: the cost of encoding an SM-PKI end-entity certificate (serial, names, extensions, TBS and
 * envelope; the signature is a fixed one) on one thread, beside software brainpoolP256r1 and P-256 signatures
 * measured in the same run: the bulk issuance path must spend its time in the HSM, not in the encoder.
 * Also the pre-issuance check of @smpki/policy (./issuance-check.ts), which runs for every certificate issued.
 * `npm run bench -- encoding` (add --json for one JSON line).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  encodeName,
  extendedKeyUsage,
  issueCertificate,
  issuerAltName,
  keyUsage,
  randomSerialNumber,
  SmPkiOids,
  subjectAltName,
  subjectKeyIdentifier,
  type CertificateExtension,
  type CertificateTemplate,
} from '@smpki/crypto';
import type { Curve, Signer } from '@smpki/hsm';
import { formatIssuanceCheck, measureIssuanceCheck } from './issuance-check';

/** Signs nothing: one fixed DER signature, so only the encoding is measured. */
function fixedSignatureSigner(curve: Curve = 'brainpoolP256r1'): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const signature = sign('sha256', Buffer.from('fixed'), { key: privateKey, dsaEncoding: 'der' });
  const keyUri = 'pkcs11:token=none;object=fixed-signature';
  return { keyUri, curve, publicKey: { keyUri, curve, spki, point: Buffer.alloc(0) }, sign: async () => signature, signDigest: async () => signature };
}

const subCaName = (): Parameters<typeof encodeName>[0] => [
  { type: 'CN', value: 'Test-Metering.CA' },
  { type: 'O', value: 'SM-Test-PKI-DE' },
  { type: 'C', value: 'DE' },
  { type: 'serialNumber', value: '1' },
  { type: 'street', value: 'Teststraße 1' },
  { type: 'postalCode', value: '64293' },
  { type: 'L', value: 'Darmstadt' },
  { type: 'ST', value: 'Hessen' },
];

function perCall(count: number, run: (index: number) => unknown): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) run(i);
  return (performance.now() - start) / count;
}

async function perAsyncCall(count: number, run: (index: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await run(i);
  return (performance.now() - start) / count;
}

async function main(): Promise<void> {
  // Signatures are excluded: the signer returns a fixed one; real signing is measured separately below.
  const signer = fixedSignatureSigner();
  const subjectSpki = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' }).publicKey.export({ format: 'der', type: 'spki' });
  const issuer = encodeName(subCaName());
  // Built once per CA and reused for every certificate, as a CA service does.
  const perCa: CertificateExtension[] = [
    authorityKeyIdentifier({ spki: signer.publicKey.spki }),
    keyUsage(['digitalSignature']),
    extendedKeyUsage(['clientAuth', 'serverAuth']),
    basicConstraints({ ca: false }),
    certificatePolicies([{ policy: SmPkiOids.certificatePolicy, cps: 'https://pki.test.invalid/cps' }]),
    issuerAltName([{ email: 'pki@test.invalid' }, { uri: 'https://pki.test.invalid/' }]),
    crlDistributionPoints([{ fullName: ['ldap://ldap.test.invalid/serialNumber=1,cn=Test-Metering.CA,o=SM-Test-PKI-DE,c=DE?certificateRevocationList', 'http://crl.test.invalid/sub.crl'] }]),
    authorityInfoAccess({ caIssuers: ['http://pki.test.invalid/sub.cer'] }),
  ];
  // Per certificate: serial, subject, validity, key identifier and SAN.
  const template = (index: number): CertificateTemplate => ({
    serialNumber: randomSerialNumber(),
    issuer,
    subject: [
      { type: 'CN', value: `Meter-${index}.GWA` },
      { type: 'O', value: 'SM-Test-PKI-DE' },
      { type: 'OU', value: '1234567890120' },
      { type: 'C', value: 'DE' },
      { type: 'serialNumber', value: '1' },
    ],
    validity: { notBefore: new Date(), notAfter: new Date(Date.now() + 730 * 86_400_000) },
    subjectPublicKeyInfo: subjectSpki,
    extensions: [subjectKeyIdentifier({ spki: subjectSpki }), ...perCa, subjectAltName([{ email: `gwa${index}@test.invalid` }, { uri: `https://gwa${index}.test.invalid:443` }])],
  });

  const sample = await issueCertificate(template(0), signer);
  for (let i = 0; i < 3000; i++) await issueCertificate(template(i), signer);
  const encodeMs = await perAsyncCall(10_000, (i) => issueCertificate(template(i), signer));

  const signMs: Record<string, number> = {};
  for (const [label, namedCurve] of [['brainpoolP256r1', 'brainpoolP256r1'], ['P-256', 'prime256v1']] as const) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve });
    signMs[label] = perCall(300, () => sign('sha256', sample, { key: privateKey, dsaEncoding: 'der' }));
  }
  const issuanceCheck = measureIssuanceCheck();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ certificateBytes: sample.length, encodeMs, signMs, issuanceCheck })}\n`);
    return;
  }
  const rate = (ms: number): string => `${Math.round(1000 / ms).toLocaleString('en-US')}/s`;
  process.stdout.write(
    [
      `bench/encoding: ${sample.length}-byte SM-PKI end-entity certificate, one thread, Node ${process.version}`,
      `  encode (signature excluded)   ${(encodeMs * 1000).toFixed(1)} µs  ${rate(encodeMs)}`,
      `  sign brainpoolP256r1 (node)   ${(signMs['brainpoolP256r1']! * 1000).toFixed(1)} µs  ${rate(signMs['brainpoolP256r1']!)}`,
      `  sign P-256 (node)             ${(signMs['P-256']! * 1000).toFixed(1)} µs  ${rate(signMs['P-256']!)}`,
      `  encoding / bp256 signature    ${((encodeMs / signMs['brainpoolP256r1']!) * 100).toFixed(1)}%`,
      formatIssuanceCheck(issuanceCheck),
      '',
    ].join('\n'),
  );
}

void main();
