/**
 * authorityKeyIdentifier (RFC 5280 4.2.1.1, also a CRL extension 5.2.1): MUST be non-critical. smpki writes the
 * keyIdentifier (the issuer's subjectKeyIdentifier); issuer name and serial are optional.
 */
import { asBuffer, DerSequenceReader, readWhole } from '../../der/der-reader';
import { contextTag, DerTag } from '../../der/der-tags';
import { derContext, derSequence } from '../../der/der-writer';
import { decodeUnsignedInteger } from '../../der/der-values';
import { keyIdentifierFromSpki } from '../../keys/key-identifier';
import { CertificateExtensionOids } from '../../oids';
import { decodeExtensionValue, type CertificateExtension, type ExtensionOptions } from '../certificate-extension';
import { decodeGeneralNames, encodeImplicitGeneralNames, type GeneralName, type GeneralNameInput } from '../general-name';
import { serialNumberContents, type SerialNumberInput } from '../serial-number';

export interface AuthorityKeyIdentifierInput {
  keyIdentifier?: Uint8Array;
  /** authorityCertIssuer and authorityCertSerialNumber go together. */
  issuer?: readonly GeneralNameInput[];
  serialNumber?: SerialNumberInput;
}

export interface AuthorityKeyIdentifier {
  keyIdentifier?: Buffer;
  issuer?: GeneralName[];
  /** Unsigned magnitude. */
  serialNumber?: Buffer;
}

/** From the issuer's key identifier, its SPKI (`{ spki }`, method 1), or all fields. */
export function authorityKeyIdentifier(input: Uint8Array | { spki: Uint8Array } | AuthorityKeyIdentifierInput, options: ExtensionOptions = {}): CertificateExtension {
  const fields: AuthorityKeyIdentifierInput =
    input instanceof Uint8Array ? { keyIdentifier: input } : 'spki' in input ? { keyIdentifier: keyIdentifierFromSpki(input.spki) } : input;
  if ((fields.issuer === undefined) !== (fields.serialNumber === undefined)) {
    throw new TypeError('authorityKeyIdentifier: authorityCertIssuer and authorityCertSerialNumber must both be present or both absent');
  }
  const parts = [
    ...(fields.keyIdentifier ? [derContext(0, false, fields.keyIdentifier)] : []),
    ...(fields.issuer ? [encodeImplicitGeneralNames(1, fields.issuer)] : []),
    ...(fields.serialNumber !== undefined ? [derContext(2, false, serialNumberContents(fields.serialNumber))] : []),
  ];
  if (parts.length === 0) throw new TypeError('authorityKeyIdentifier needs a key identifier or issuer and serial');
  return { oid: CertificateExtensionOids.authorityKeyIdentifier, critical: options.critical ?? false, value: derSequence(...parts) };
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  return decodeExtensionValue('authorityKeyIdentifier', () => {
    const der = asBuffer(value);
    const reader = new DerSequenceReader(der, readWhole(der, DerTag.SEQUENCE, 'AuthorityKeyIdentifier'), 'AuthorityKeyIdentifier');
    const keyId = reader.optional(contextTag(0, false), 'keyIdentifier');
    const issuer = reader.optional(contextTag(1, true), 'authorityCertIssuer');
    const serial = reader.optional(contextTag(2, false), 'authorityCertSerialNumber');
    reader.end();
    return {
      ...(keyId && { keyIdentifier: der.subarray(keyId.valueOffset, keyId.end) }),
      ...(issuer && { issuer: decodeGeneralNames(der, issuer, 'authorityCertIssuer') }),
      ...(serial && { serialNumber: decodeUnsignedInteger(der.subarray(serial.valueOffset, serial.end), 'authorityCertSerialNumber') }),
    };
  });
}
