/**
 * The DER reading API other libraries use (@smpki/policy reads certificate facts with it): one strict reader for
 * the whole code base. The writers stay internal to @smpki/crypto.
 */
export {
  asBuffer,
  children,
  contentsOf,
  DerSequenceReader,
  encodingOf,
  expectTlv,
  iterateChildren,
  readTlv,
  readWhole,
  type Tlv,
} from './der-reader';
export { contextTag, DerTag } from './der-tags';
export { decodeTime } from './der-time';
export { decodeBoolean, decodeSmallInteger } from './der-values';
export { decodeOidContents } from './object-identifier';
