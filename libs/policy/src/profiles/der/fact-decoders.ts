/** DER -> facts: names, keys, the extensions the checks read, and a whole TBSCertificate. */
import type { CertificateFacts, DecodedExtensions, ExtensionFacts, GeneralNameFacts, NameFacts, PublicKeyFacts } from '../certificate-facts';
import {
  CURVE_OIDS,
  EC_PUBLIC_KEY_OID,
  ECDSA_SIGNATURE_OIDS,
  EXTENSION_OIDS,
  GENERAL_NAME_TYPES,
  KEY_USAGE_NAMES,
  NAME_ATTRIBUTE_OIDS,
  nameOfOid,
  type ExtensionName,
  type KeyUsageName,
} from '../vocabulary';
import { bitsOf, children, content, DerError, integerOf, oidOf, readWhole, slice, stringOf, TAG, type Tlv } from './der-walker';

export function decodeName(der: Uint8Array): NameFacts {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const sequence = readWhole(bytes, TAG.SEQUENCE);
  const attributes = children(bytes, sequence).flatMap((set) => {
    if (set.tag !== TAG.SET) throw new DerError('a RelativeDistinguishedName is not a SET');
    return children(bytes, set).map((pair) => {
      const [type, value] = children(bytes, pair);
      if (!type || !value) throw new DerError('an AttributeTypeAndValue lacks a field');
      const oid = oidOf(bytes, type);
      return { oid, name: nameOfOid(NAME_ATTRIBUTE_OIDS, oid), value: stringOf(bytes, value) };
    });
  });
  return { der: bytes, attributes };
}

export function decodeSubjectPublicKeyInfo(der: Uint8Array): PublicKeyFacts {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const [algorithm] = children(bytes, readWhole(bytes, TAG.SEQUENCE));
  if (!algorithm || algorithm.tag !== TAG.SEQUENCE) throw new DerError('SubjectPublicKeyInfo has no algorithm');
  const [oid, parameters] = children(bytes, algorithm);
  if (!oid) throw new DerError('AlgorithmIdentifier has no OID');
  const algorithmOid = oidOf(bytes, oid);
  // ECParameters ::= CHOICE { namedCurve OID, implicitCurve NULL, specifiedCurve SEQUENCE }: the tag decides.
  const curveOid = parameters?.tag === TAG.OID ? oidOf(bytes, parameters) : undefined;
  return {
    spki: bytes,
    algorithmOid,
    curveOid,
    curve: curveOid ? nameOfOid(CURVE_OIDS, curveOid) : undefined,
    explicitParameters: algorithmOid === EC_PUBLIC_KEY_OID && parameters?.tag === TAG.SEQUENCE,
  };
}

type Decoders = { [K in keyof DecodedExtensions]-?: { extension: ExtensionName; decode: (value: Buffer) => DecodedExtensions[K] } };

const DECODERS: Decoders = {
  keyUsage: { extension: 'keyUsage', decode: decodeKeyUsage },
  extendedKeyUsage: { extension: 'extKeyUsage', decode: (value) => oidList(value) },
  basicConstraints: { extension: 'basicConstraints', decode: decodeBasicConstraints },
  subjectAltName: { extension: 'subjectAltName', decode: decodeGeneralNames },
  certificatePolicies: {
    extension: 'certificatePolicies',
    decode: (value) => children(value, readWhole(value, TAG.SEQUENCE)).map((policy) => oidOf(value, children(value, policy)[0] ?? policy)),
  },
  subjectKeyIdentifier: { extension: 'subjectKeyIdentifier', decode: (value) => Buffer.from(content(value, readWhole(value, TAG.OCTET_STRING))) },
  authorityKeyIdentifier: {
    extension: 'authorityKeyIdentifier',
    decode: (value) => {
      const keyIdentifier = children(value, readWhole(value, TAG.SEQUENCE)).find((field) => field.tag === 0x80);
      return keyIdentifier ? Buffer.from(content(value, keyIdentifier)) : undefined;
    },
  },
};

/** Decodes the extensions the checks read; one that does not decode is listed as malformed instead. */
export function decodeExtensions(extensions: readonly ExtensionFacts[]): { decoded: DecodedExtensions; malformed: CertificateFacts['malformedExtensions'] } {
  const decoded: Record<string, unknown> = {};
  const malformed: CertificateFacts['malformedExtensions'] = [];
  for (const [field, decoder] of Object.entries(DECODERS) as Array<[keyof DecodedExtensions, Decoders[keyof DecodedExtensions]]>) {
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
  return { oid, name: nameOfOid(EXTENSION_OIDS, oid), critical, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
}

/** TBSCertificate DER -> facts (no signature: the caller adds it for a signed certificate). */
export function decodeTbsCertificate(tbs: Buffer): CertificateFacts {
  const fields = children(tbs, readWhole(tbs, TAG.SEQUENCE));
  let index = 0;
  const next = (what: string): Tlv => {
    const field = fields[index++];
    if (!field) throw new DerError(`TBSCertificate lacks ${what}`);
    return field;
  };
  const version = fields[0]?.tag === 0xa0 ? integerOf(tbs, children(tbs, next('version'))[0] ?? fields[0]) + 1 : 1;
  const serial = next('serialNumber');
  const signature = next('signature');
  const issuer = next('issuer');
  const [notBefore, notAfter] = children(tbs, next('validity'));
  const subject = next('subject');
  const spki = next('subjectPublicKeyInfo');
  const extensionsField = fields.slice(index).find((field) => field.tag === 0xa3);
  const extensionList = extensionsField ? children(tbs, children(tbs, extensionsField)[0] ?? extensionsField).map((extension) => readExtension(tbs, extension)) : [];
  const { decoded, malformed } = decodeExtensions(extensionList);
  const signatureOid = oidOf(tbs, children(tbs, signature)[0] ?? signature);
  if (!notBefore || !notAfter) throw new DerError('validity lacks a time');
  return {
    version,
    serialNumber: Buffer.from(content(tbs, serial)),
    signatureAlgorithmOid: signatureOid,
    signatureHash: nameOfOid(ECDSA_SIGNATURE_OIDS, signatureOid),
    issuer: decodeName(slice(tbs, issuer)),
    subject: decodeName(slice(tbs, subject)),
    notBefore: timeOf(tbs, notBefore),
    notAfter: timeOf(tbs, notAfter),
    publicKey: decodeSubjectPublicKeyInfo(slice(tbs, spki)),
    extensions: extensionList,
    decoded,
    malformedExtensions: malformed,
  };
}

function readExtension(der: Buffer, tlv: Tlv): ExtensionFacts {
  const [oid, second, third] = children(der, tlv);
  if (!oid || !second) throw new DerError('an Extension lacks a field');
  const critical = second.tag === TAG.BOOLEAN && der[second.contentStart] !== 0;
  const value = second.tag === TAG.BOOLEAN ? third : second;
  if (!value || value.tag !== TAG.OCTET_STRING) throw new DerError('an Extension lacks its extnValue');
  return extensionFact(oidOf(der, oid), critical, content(der, value));
}

function decodeKeyUsage(value: Buffer): KeyUsageName[] {
  const bits = bitsOf(value, readWhole(value, TAG.BIT_STRING));
  return KEY_USAGE_NAMES.filter((_, index) => bits[index] === true);
}

function decodeBasicConstraints(value: Buffer): { cA: boolean; pathLen?: number } {
  const fields = children(value, readWhole(value, TAG.SEQUENCE));
  const flag = fields.find((field) => field.tag === TAG.BOOLEAN);
  const pathLen = fields.find((field) => field.tag === TAG.INTEGER);
  return { cA: flag !== undefined && value[flag.contentStart] !== 0, pathLen: pathLen ? integerOf(value, pathLen) : undefined };
}

/** GeneralNames ::= SEQUENCE OF GeneralName (context tags [0]..[8], RFC 5280 4.2.1.6). */
function decodeGeneralNames(value: Buffer): GeneralNameFacts[] {
  return children(value, readWhole(value, TAG.SEQUENCE)).map((name) => {
    const type = GENERAL_NAME_TYPES[name.tag & 0x1f];
    if ((name.tag & 0xc0) !== 0x80 || !type) throw new DerError(`GeneralName with tag 0x${name.tag.toString(16)}`);
    const text = type === 'rfc822Name' || type === 'dNSName' || type === 'uniformResourceIdentifier' ? content(value, name).toString('latin1') : type;
    return { type, value: text };
  });
}

function oidList(value: Buffer): string[] {
  return children(value, readWhole(value, TAG.SEQUENCE)).map((oid) => oidOf(value, oid));
}

function timeOf(der: Buffer, tlv: Tlv): Date {
  const text = content(der, tlv).toString('latin1');
  const match = tlv.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) throw new DerError(`malformed time "${text}"`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  // RFC 5280 4.1.2.5.1: UTCTime years 50-99 are 19xx.
  const year = tlv.tag === TAG.UTC_TIME ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, s));
}
