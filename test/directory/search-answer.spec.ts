/**
 * The hand-written BER of search answers must be the bytes ldapjs's own message objects write (which clients such
 * as ldapsearch have read since the directory's start): compared over the length forms (short, 1 to 3 length bytes)
 * and message ids of every integer width.
 */
import { parseDN } from 'ldapjs';
import { searchResultDone, searchResultEntry, type AnswerAttribute } from '../../libs/directory/src/ldap/search-answer';

const MESSAGE_IDS = [0, 1, 127, 128, 255, 256, 32_767, 32_768, 65_535, 8_388_608, 2_147_483_647];
const VALUE_SIZES = [0, 1, 100, 127, 128, 255, 256, 70_000, 1_000_000];
const DN = 'serialNumber=1EMH0000000001,cn=SM-Test-Calibration.CA,o=SM-Test-PKI-DE,c=DE';

// ldapjs 3's message and attribute packages (dependencies of ldapjs) publish no typings.
type MessageClass = new (options: Record<string, unknown>) => { toBer(): { buffer: Buffer } };
const { SearchResultEntry: Entry, SearchResultDone: Done } = require('@ldapjs/messages') as { SearchResultEntry: MessageClass; SearchResultDone: MessageClass };
const attributesOf = (require('@ldapjs/attribute') as { fromObject(object: Record<string, unknown>): unknown }).fromObject;

function ldapjsEntry(messageId: number, attributes: Record<string, Array<string | Buffer>>): Buffer {
  return new Entry({ messageId, objectName: parseDN(DN), attributes: attributesOf(attributes) }).toBer().buffer;
}

function answerAttributes(attributes: Record<string, Array<string | Buffer>>): AnswerAttribute[] {
  return Object.entries(attributes).map(([name, values]) => ({ name, values: values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value)) }));
}

describe('search answers encoded by hand', () => {
  it.each(MESSAGE_IDS)('writes a SearchResultEntry exactly as ldapjs does (message id %d)', (messageId) => {
    for (const size of VALUE_SIZES) {
      const attributes = {
        objectClass: ['top', 'device', 'pkiUser'],
        cn: ['ü'.repeat(size % 300)],
        'userCertificate;binary': [Buffer.alloc(size, 0xa5)],
      };
      expect(searchResultEntry(messageId, DN, answerAttributes(attributes)).equals(ldapjsEntry(messageId, attributes))).toBe(true);
    }
    expect(searchResultEntry(messageId, DN, []).equals(ldapjsEntry(messageId, {}))).toBe(true);
  });

  it.each(MESSAGE_IDS)('writes a SearchResultDone exactly as ldapjs does (message id %d)', (messageId) => {
    expect(searchResultDone(messageId).equals(new Done({ messageId }).toBer().buffer)).toBe(true);
    const failed = new Done({ messageId, status: 32, matchedDN: 'c=DE', diagnosticMessage: 'x'.repeat(200) }).toBer().buffer;
    expect(searchResultDone(messageId, 32, 'c=DE', 'x'.repeat(200)).equals(failed)).toBe(true);
  });
});
