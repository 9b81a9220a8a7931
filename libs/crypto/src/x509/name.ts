/**
 * Distinguished names: written from a structured list of RDNs in the given order, read back into the same shape.
 *
 * String types follow the real SM-PKI certificates (see /work/shared/testdata/sm-pki-real, `openssl asn1parse`):
 * countryName and serialNumber are always PrintableString (X.520 requires it); every other attribute is a
 * PrintableString when its value fits that alphabet and a UTF8String otherwise (`Julius-Reiber-Straße 11`);
 * emailAddress and domainComponent are IA5String. An attribute's `encoding` overrides the choice.
 */
import { CryptoInputError } from '../crypto-input-error';
import { asBuffer, children, DerSequenceReader, readWhole, type Tlv } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { derIa5String, derOid, derPrintableString, derSequence, derSetOf, derUtf8String } from '../der/der-writer';
import { decodeString, stringTypeOfTag, type DirectoryStringType } from '../der/der-values';
import { decodeOidContents } from '../der/object-identifier';
import { NameAttributeOids } from '../oids';

export type NameAttributeType =
  | 'CN'
  | 'O'
  | 'OU'
  | 'C'
  | 'serialNumber'
  | 'L'
  | 'ST'
  | 'street'
  | 'postalCode'
  | 'SN'
  | 'GN'
  | 'title'
  | 'pseudonym'
  | 'emailAddress'
  | 'DC';

export type NameStringEncoding = 'printable' | 'utf8' | 'ia5';

export interface NameAttribute {
  /** A short name from {@link NameAttributeType} or a dotted OID. */
  type: NameAttributeType | (string & {});
  value: string;
  encoding?: NameStringEncoding;
}

/** RDNs in encoding order (as `openssl x509 -subject` prints them); an inner array is a multi-valued RDN. */
export type DistinguishedName = readonly (NameAttribute | readonly NameAttribute[])[];

/** A name to encode: structured, or the DER of a Name (e.g. an issuer certificate's subject, copied byte for byte). */
export type NameInput = DistinguishedName | Uint8Array;

interface AttributeRule {
  type: NameAttributeType;
  oid: string;
  /** `printable`: always PrintableString; `auto`: PrintableString if possible, else UTF8String; `ia5`: IA5String. */
  encoding: 'printable' | 'auto' | 'ia5';
  /** RFC 5280 Appendix A upper bounds. */
  maxLength: number;
  pattern?: RegExp;
  patternText?: string;
}

const RULES: readonly AttributeRule[] = [
  { type: 'CN', oid: NameAttributeOids.commonName, encoding: 'auto', maxLength: 64 },
  { type: 'O', oid: NameAttributeOids.organizationName, encoding: 'auto', maxLength: 64 },
  { type: 'OU', oid: NameAttributeOids.organizationalUnitName, encoding: 'auto', maxLength: 64 },
  { type: 'C', oid: NameAttributeOids.countryName, encoding: 'printable', maxLength: 2, pattern: /^[A-Z]{2}$/, patternText: 'two upper-case letters (ISO 3166)' },
  { type: 'serialNumber', oid: NameAttributeOids.serialNumber, encoding: 'printable', maxLength: 64 },
  { type: 'L', oid: NameAttributeOids.localityName, encoding: 'auto', maxLength: 128 },
  { type: 'ST', oid: NameAttributeOids.stateOrProvinceName, encoding: 'auto', maxLength: 128 },
  { type: 'street', oid: NameAttributeOids.streetAddress, encoding: 'auto', maxLength: 128 },
  { type: 'postalCode', oid: NameAttributeOids.postalCode, encoding: 'auto', maxLength: 40 },
  { type: 'SN', oid: NameAttributeOids.surname, encoding: 'auto', maxLength: 64 },
  { type: 'GN', oid: NameAttributeOids.givenName, encoding: 'auto', maxLength: 64 },
  { type: 'title', oid: NameAttributeOids.title, encoding: 'auto', maxLength: 64 },
  { type: 'pseudonym', oid: NameAttributeOids.pseudonym, encoding: 'auto', maxLength: 128 },
  { type: 'emailAddress', oid: NameAttributeOids.emailAddress, encoding: 'ia5', maxLength: 255 },
  { type: 'DC', oid: NameAttributeOids.domainComponent, encoding: 'ia5', maxLength: 63 },
];

const BY_TYPE = new Map(RULES.map((rule) => [rule.type as string, rule]));
const BY_OID = new Map(RULES.map((rule) => [rule.oid, rule]));

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const IA5 = /^[\x00-\x7f]*$/;

export function isPrintableString(value: string): boolean {
  return PRINTABLE.test(value);
}

function invalid(message: string): CryptoInputError {
  return new CryptoInputError('name.value-invalid', message);
}

function encodeAttribute(attribute: NameAttribute): Buffer {
  const rule = BY_TYPE.get(attribute.type) ?? BY_OID.get(attribute.type);
  const label = rule?.type ?? attribute.type;
  if (!rule && !/^[0-2](\.\d+)+$/.test(attribute.type)) {
    throw invalid(`unknown name attribute type '${attribute.type}' (use one of ${RULES.map((r) => r.type).join(', ')} or a dotted OID)`);
  }
  const { value } = attribute;
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${label} must be a non-empty string`);
  if (rule?.pattern && !rule.pattern.test(value)) throw invalid(`${label} '${value}' must be ${rule.patternText}`);
  if (rule && [...value].length > rule.maxLength) throw invalid(`${label} is longer than ${rule.maxLength} characters`);
  const encoding = attribute.encoding ?? defaultEncoding(rule, value);
  if (rule?.encoding === 'printable' && encoding !== 'printable') throw invalid(`${label} must be a PrintableString`);
  return derSequence(derOid(rule?.oid ?? attribute.type), encodeString(label, value, encoding));
}

function defaultEncoding(rule: AttributeRule | undefined, value: string): NameStringEncoding {
  if (rule?.encoding === 'printable' || rule?.encoding === 'ia5') return rule.encoding;
  return isPrintableString(value) ? 'printable' : 'utf8';
}

function encodeString(label: string, value: string, encoding: NameStringEncoding): Buffer {
  switch (encoding) {
    case 'printable':
      if (!isPrintableString(value)) throw invalid(`${label} '${value}' has characters a PrintableString cannot hold`);
      return derPrintableString(value);
    case 'ia5':
      if (!IA5.test(value)) throw invalid(`${label} has characters an IA5String cannot hold (ASCII only)`);
      return derIa5String(value);
    case 'utf8':
      return derUtf8String(value);
    default:
      throw invalid(`unknown string encoding '${String(encoding)}' for ${label}`);
  }
}

/** DER Name of a structured DN. */
export function encodeName(name: DistinguishedName): Buffer {
  if (!Array.isArray(name)) throw invalid('a distinguished name is a list of RDNs');
  const rdns = name.map((rdn) => {
    const attributes = (Array.isArray(rdn) ? rdn : [rdn]) as readonly NameAttribute[];
    if (attributes.length === 0) throw invalid('an RDN needs at least one attribute');
    return derSetOf(attributes.map(encodeAttribute));
  });
  return derSequence(...rdns);
}

const ENCODED_NAMES = new WeakMap<DistinguishedName, Buffer>();

/**
 * DER Name of either input form; DER input is checked to be one SEQUENCE and used as is. A structured name is
 * encoded once per object (a CA passes the same issuer name for every certificate): treat names as immutable.
 */
export function nameDer(name: NameInput): Buffer {
  if (name instanceof Uint8Array) {
    const der = asBuffer(name);
    readWhole(der, DerTag.SEQUENCE, 'Name');
    return der;
  }
  let der = ENCODED_NAMES.get(name);
  if (!der) {
    der = encodeName(name);
    ENCODED_NAMES.set(name, der);
  }
  return der;
}

export interface ParsedNameAttribute {
  oid: string;
  /** The short name ({@link NameAttributeType}) or, for other attributes, the OID. */
  type: string;
  /** The text; `#<hex>` of the encoded value for values that are not strings (RFC 4514). */
  value: string;
  /** The string type it was encoded with; undefined for a value that is not a string. */
  encoding: DirectoryStringType | undefined;
}

export class ParsedName {
  constructor(
    /** The Name DER exactly as encoded. */
    readonly der: Buffer,
    /** RDNs in encoding order. */
    readonly rdns: readonly (readonly ParsedNameAttribute[])[],
  ) {}

  /** Every attribute in encoding order, multi-valued RDNs flattened. */
  get attributes(): ParsedNameAttribute[] {
    return this.rdns.flat();
  }

  /** Values of one attribute type (short name or OID), in encoding order. */
  values(type: NameAttributeType | (string & {})): string[] {
    const oid = BY_TYPE.get(type)?.oid ?? type;
    return this.attributes.filter((attribute) => attribute.oid === oid).map((attribute) => attribute.value);
  }

  /** The first value of an attribute type. */
  get(type: NameAttributeType | (string & {})): string | undefined {
    return this.values(type)[0];
  }

  /** Same DER. */
  equals(other: ParsedName | Uint8Array): boolean {
    return this.der.equals(other instanceof ParsedName ? other.der : asBuffer(other));
  }

  /** The structured form, keeping each value's string type, for re-encoding. */
  toDistinguishedName(): NameAttribute[][] {
    return this.rdns.map((rdn) =>
      rdn.map((attribute) => ({
        type: attribute.type,
        value: attribute.value,
        ...(attribute.encoding === 'printable' || attribute.encoding === 'ia5' ? { encoding: attribute.encoding } : { encoding: 'utf8' as const }),
      })),
    );
  }

  /** RFC 4514 string: last RDN first (`serialNumber=4,C=DE,O=SM-PKI-DE,CN=DARZ.CA`). */
  toString(): string {
    return formatName(this, 'rfc4514');
  }
}

/** Parses a DER Name (the whole input). */
export function parseName(der: Uint8Array, what = 'Name'): ParsedName {
  const bytes = asBuffer(der);
  return parseNameAt(bytes, readWhole(bytes, DerTag.SEQUENCE, what), what);
}

/** Parses the Name element `tlv` inside a larger encoding. */
export function parseNameAt(der: Buffer, tlv: Tlv, what: string): ParsedName {
  const rdns = children(der, tlv, what).map((rdn) => {
    if (rdn.tag !== DerTag.SET) throw new CryptoInputError('der.malformed', `${what}: an RDN must be a SET`);
    const attributes = children(der, rdn, `${what} RDN`).map((atv) => parseAttribute(der, atv, what));
    if (attributes.length === 0) throw new CryptoInputError('der.malformed', `${what}: empty RDN`);
    return attributes;
  });
  return new ParsedName(der.subarray(tlv.offset, tlv.end), rdns);
}

function parseAttribute(der: Buffer, atv: Tlv, what: string): ParsedNameAttribute {
  if (atv.tag !== DerTag.SEQUENCE) throw new CryptoInputError('der.malformed', `${what}: an attribute must be a SEQUENCE`);
  const reader = new DerSequenceReader(der, atv, `${what} attribute`);
  const oidTlv = reader.next(DerTag.OBJECT_IDENTIFIER, 'type');
  const oid = decodeOidContents(der.subarray(oidTlv.valueOffset, oidTlv.end), what);
  const valueTlv = reader.nextAny('value');
  reader.end();
  const type = BY_OID.get(oid)?.type ?? oid;
  if (stringTypeOfTag(valueTlv.tag) === undefined) {
    return { oid, type, value: `#${der.subarray(valueTlv.offset, valueTlv.end).toString('hex')}`, encoding: undefined };
  }
  const { type: encoding, value } = decodeString(valueTlv.tag, der.subarray(valueTlv.valueOffset, valueTlv.end), `${what} ${type}`);
  return { oid, type, value, encoding };
}

/**
 * A DN as text. `rfc4514`: last RDN first, `,` between RDNs, `+` inside, special characters escaped.
 * `display`: encoding order with `, ` between RDNs (`CN=DARZ.CA, O=SM-PKI-DE, C=DE`), as OpenSSL shows it.
 */
export function formatName(name: ParsedName, style: 'rfc4514' | 'display' = 'rfc4514'): string {
  const rdns = name.rdns.map((rdn) => rdn.map((attribute) => `${attribute.type}=${style === 'rfc4514' ? escapeValue(attribute.value, attribute.encoding) : attribute.value}`).join('+'));
  return style === 'rfc4514' ? rdns.reverse().join(',') : rdns.join(', ');
}

function escapeValue(value: string, encoding: DirectoryStringType | undefined): string {
  if (encoding === undefined) return value; // already #hex
  return value
    .replace(/[\\,+"<>;=]/g, (character) => `\\${character}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}
