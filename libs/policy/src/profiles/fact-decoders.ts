/**
 * DER -> facts: names, keys, the extensions the checks read, and a whole TBSCertificate, read in place with
 * @smpki/crypto's strict DER reader and extension decoders (no object tree: the pre-issuance check runs for every
 * certificate a CA issues). Unlike `parseCertificate`, nothing a profile rule reports is refused here: duplicate
 * extensions, other signature algorithms, RSA keys and undecodable extension values become facts the checks judge.
 */
import {
  asBuffer,
  CertificateExtensionOids,
  contentsOf,
  contextTag,
  CryptoInputError,
  CurveOids,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeBoolean,
  decodeCertificatePolicies,
  decodeExtendedKeyUsage,
  decodeKeyUsage,
  decodeOidContents,
  decodeSmallInteger,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  decodeTime,
  DerSequenceReader,
  DerTag,
  encodingOf,
  expectTlv,
  KeyAlgorithmOids,
  parseName,
  readWhole,
  type GeneralName,
  type Tlv,
} from '@smpki/crypto';
import type { CertificateFacts, DecodedExtensions, ExtensionFacts, GeneralNameFacts, NameFacts, PublicKeyFacts } from './certificate-facts';
import { GENERAL_NAME_TYPES, hashOfSignatureOid, keyUsageName, nameOfOid, type ExtensionName, type NameAttributeName } from './vocabulary';

export function decodeName(der: Uint8Array): NameFacts {
  const name = parseName(der);
  const attributes = name.attributes.map(({ oid, type, value }) => ({ oid, name: type === oid ? undefined : (type as NameAttributeName), value }));
  return { der: name.der, attributes };
}

export function decodeSubjectPublicKeyInfo(der: Uint8Array): PublicKeyFacts {
  const spki = asBuffer(der);
  const reader = new DerSequenceReader(spki, readWhole(spki, DerTag.SEQUENCE, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  const algorithm = new DerSequenceReader(spki, reader.next(DerTag.SEQUENCE, 'algorithm'), 'SubjectPublicKeyInfo algorithm');
  const algorithmOid = oidOf(spki, algorithm.next(DerTag.OBJECT_IDENTIFIER, 'algorithm'));
  // ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL, specifiedCurve SEQUENCE }: the tag decides.
  const parameters = algorithm.hasMore() ? algorithm.nextAny('parameters') : undefined;
  const curveOid = parameters?.tag === DerTag.OBJECT_IDENTIFIER ? oidOf(spki, parameters) : undefined;
  return {
    spki,
    algorithmOid,
    curveOid,
    curve: curveOid ? nameOfOid(CurveOids, curveOid) : undefined,
    explicitParameters: algorithmOid === KeyAlgorithmOids.ecPublicKey && parameters?.tag === DerTag.SEQUENCE,
  };
}

type Decoders = { [K in keyof DecodedExtensions]-?: { extension: ExtensionName; decode: (value: Buffer) => DecodedExtensions[K] } };

const DECODERS: Decoders = {
  keyUsage: { extension: 'keyUsage', decode: (value) => decodeKeyUsage(value).map(keyUsageName) },
  extendedKeyUsage: { extension: 'extKeyUsage', decode: decodeExtendedKeyUsage },
  basicConstraints: {
    extension: 'basicConstraints',
    decode: (value) => {
      const { ca, pathLength } = decodeBasicConstraints(value);
      return { cA: ca, pathLen: pathLength };
    },
  },
  subjectAltName: { extension: 'subjectAltName', decode: (value) => decodeSubjectAltName(value).map(generalNameFact) },
  certificatePolicies: { extension: 'certificatePolicies', decode: (value) => decodeCertificatePolicies(value).map((information) => information.policy) },
  subjectKeyIdentifier: { extension: 'subjectKeyIdentifier', decode: decodeSubjectKeyIdentifier },
  authorityKeyIdentifier: { extension: 'authorityKeyIdentifier', decode: (value) => decodeAuthorityKeyIdentifier(value).keyIdentifier },
};
const DECODED_FIELDS = Object.entries(DECODERS) as Array<[keyof DecodedExtensions, Decoders[keyof DecodedExtensions]]>;

/** Decodes the extensions the checks read; one that does not decode is listed as malformed instead. */
export function decodeExtensions(extensions: readonly ExtensionFacts[]): { decoded: DecodedExtensions; malformed: CertificateFacts['malformedExtensions'] } {
  const decoded: Record<string, unknown> = {};
  const malformed: CertificateFacts['malformedExtensions'] = [];
  for (const [field, decoder] of DECODED_FIELDS) {
    const extension = extensions.find((candidate) => candidate.name === decoder.extension);
    if (!extension) continue;
    try {
      decoded[field] = decoder.decode(extension.value);
    } catch (error) {
      malformed.push({ name: decoder.extension, reason: (error as Error).message });
    }
  }
  return { decoded: decoded as DecodedExtensions, malformed };
}

export function extensionFact(oid: string, critical: boolean, value: Uint8Array): ExtensionFacts {
  return { oid, name: nameOfOid(CertificateExtensionOids, oid), critical, value: asBuffer(value) };
}

/** TBSCertificate DER -> facts (no signature: the caller adds it for a signed certificate). */
export function decodeTbsCertificate(tbs: Buffer): CertificateFacts {
  const what = 'TBSCertificate';
  const reader = new DerSequenceReader(tbs, readWhole(tbs, DerTag.SEQUENCE, what), what);
  const version = reader.optional(contextTag(0, true), 'version');
  const serial = reader.next(DerTag.INTEGER, 'serialNumber');
  const signature = reader.next(DerTag.SEQUENCE, 'signature');
  const issuer = reader.next(DerTag.SEQUENCE, 'issuer');
  const validity = new DerSequenceReader(tbs, reader.next(DerTag.SEQUENCE, 'validity'), `${what} validity`);
  const subject = reader.next(DerTag.SEQUENCE, 'subject');
  const spki = reader.next(DerTag.SEQUENCE, 'subjectPublicKeyInfo');
  reader.optional(contextTag(1, false), 'issuerUniqueID');
  reader.optional(contextTag(2, false), 'subjectUniqueID');
  const extensionsField = reader.optional(contextTag(3, true), 'extensions');
  reader.end();
  const extensions = extensionsField ? readExtensions(tbs, expectTlv(tbs, extensionsField.valueOffset, extensionsField.end, DerTag.SEQUENCE, `${what} extensions`)) : [];
  const { decoded, malformed } = decodeExtensions(extensions);
  const signatureAlgorithmOid = oidOf(tbs, expectTlv(tbs, signature.valueOffset, signature.end, DerTag.OBJECT_IDENTIFIER, `${what} signature`));
  return {
    version: version ? versionNumber(tbs, version) : 1,
    serialNumber: Buffer.from(contentsOf(tbs, serial)),
    signatureAlgorithmOid,
    signatureHash: hashOfSignatureOid(signatureAlgorithmOid),
    issuer: decodeName(encodingOf(tbs, issuer)),
    subject: decodeName(encodingOf(tbs, subject)),
    notBefore: timeOf(tbs, validity.nextAny('notBefore')),
    notAfter: timeOf(tbs, validity.nextAny('notAfter')),
    publicKey: decodeSubjectPublicKeyInfo(encodingOf(tbs, spki)),
    extensions,
    decoded,
    malformedExtensions: malformed,
  };
}

/** Every Extension as it is: the same OID twice is a finding (ext.duplicate) of the checks, not a read error. */
function readExtensions(der: Buffer, sequence: Tlv): ExtensionFacts[] {
  const extensions: ExtensionFacts[] = [];
  const list = new DerSequenceReader(der, sequence, 'Extensions');
  while (list.hasMore()) {
    const extension = new DerSequenceReader(der, list.next(DerTag.SEQUENCE, 'Extension'), 'Extension');
    const oid = oidOf(der, extension.next(DerTag.OBJECT_IDENTIFIER, 'extnID'));
    const critical = extension.optional(DerTag.BOOLEAN, 'critical');
    const value = extension.next(DerTag.OCTET_STRING, 'extnValue');
    extensions.push(extensionFact(oid, critical ? decodeBoolean(contentsOf(der, critical), `${oid} critical`) : false, contentsOf(der, value)));
  }
  return extensions;
}

function versionNumber(der: Buffer, explicit: Tlv): number {
  const integer = expectTlv(der, explicit.valueOffset, explicit.end, DerTag.INTEGER, 'TBSCertificate version');
  return decodeSmallInteger(contentsOf(der, integer), 'TBSCertificate version') + 1;
}

function oidOf(der: Buffer, tlv: Tlv): string {
  return decodeOidContents(contentsOf(der, tlv));
}

function timeOf(der: Buffer, tlv: Tlv): Date {
  return decodeTime(tlv.tag, contentsOf(der, tlv), 'TBSCertificate validity');
}

/** GeneralName -> the profile's words: the text of rfc822Name, dNSName and URI; the type alone for the others. */
function generalNameFact(name: GeneralName): GeneralNameFacts {
  switch (name.type) {
    case 'email':
      return { type: 'rfc822Name', value: name.value };
    case 'dns':
      return { type: 'dNSName', value: name.value };
    case 'uri':
      return { type: 'uniformResourceIdentifier', value: name.value };
    case 'directoryName':
      return { type: 'directoryName', value: 'directoryName' };
    case 'ip':
      return { type: 'iPAddress', value: 'iPAddress' };
    case 'registeredId':
      return { type: 'registeredID', value: 'registeredID' };
    default: {
      const type = (name.tag & 0xc0) === 0x80 ? GENERAL_NAME_TYPES[name.tag & 0x1f] : undefined;
      if (!type) throw new CryptoInputError('der.malformed', `GeneralName with tag 0x${name.tag.toString(16)}`);
      return { type, value: type };
    }
  }
}
