/** The BER reader that finds the signed bytes inside requests (indefinite lengths, segmented OCTET STRINGs). */
import { berChildren, BerError, berOctetStringValue, readBerElement, readSingleBerElement } from '../../libs/crypto/src/cms/ber-element';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('BER reader', () => {
  it('reads nested indefinite-length elements and their children', () => {
    // SEQUENCE (indefinite) { [0] (indefinite) { INTEGER 5 } , NULL }
    const bytes = hex('30 80 a0 80 02 01 05 00 00 05 00 00 00');
    const root = readSingleBerElement(bytes);
    expect(root).toMatchObject({ indefinite: true, contentStart: 2, contentEnd: 11, end: 13 });
    const [context, nil] = berChildren(bytes, root);
    expect(context).toMatchObject({ tagClass: 2, tagNumber: 0, constructed: true, end: 9 });
    expect(nil).toMatchObject({ tagClass: 0, tagNumber: 5, start: 9, end: 11 });
  });

  it('joins the segments of a constructed OCTET STRING, nested segments included', () => {
    const bytes = hex('24 80 04 02 0102 24 80 04 01 03 00 00 04 00 00 00');
    expect(berOctetStringValue(bytes, readSingleBerElement(bytes)).toString('hex')).toBe('010203');
  });

  it('tolerates stray end-of-contents octets only when asked, and nothing else after the element', () => {
    const bytes = hex('30 80 05 00 00 00 00 00');
    expect(() => readSingleBerElement(bytes)).toThrow(BerError);
    expect(readSingleBerElement(bytes, { allowTrailingEndOfContents: true }).end).toBe(6);
    expect(() => readSingleBerElement(hex('30 80 05 00 00 00 01 00'), { allowTrailingEndOfContents: true })).toThrow(/trailing/);
  });

  it('refuses truncation, overlong lengths, indefinite primitives and hostile nesting', () => {
    expect(() => readBerElement(hex('30 05 02 01'))).toThrow(/claims 5 bytes/);
    expect(() => readBerElement(hex('30 85 01 00 00 00 00'))).toThrow(/length field/);
    expect(() => readBerElement(hex('04 80 00 00'))).toThrow(/primitive/);
    expect(() => readBerElement(hex('30 80 05 00'))).toThrow(/truncated/);
    const deep = Buffer.concat([Buffer.alloc(200, 0).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80)), Buffer.alloc(200, 0)]);
    expect(() => readBerElement(deep)).toThrow(/nesting deeper/);
  });
});
