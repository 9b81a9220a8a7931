import { parseOpensslSpeed } from './openssl-speed';

describe('parseOpensslSpeed', () => {
  it('reads sign/s and verify/s from the summary of a -multi run', () => {
    const output = [
      'Got: +F4:16:256:1672.333333:2022.333333 from 1',
      'version: 3.0.19',
      '                              sign    verify    sign/s verify/s',
      ' 256 bits ecdsa (brainpoolP256r1)   0.0003s   0.0003s   3500.3   3846.7',
      '',
    ].join('\n');
    expect(parseOpensslSpeed(output)).toEqual({ signPerSecond: 3500.3, verifyPerSecond: 3846.7 });
  });

  it('says so when there is no summary', () => {
    expect(() => parseOpensslSpeed('Error: unknown algorithm')).toThrow('cannot read the openssl speed summary');
  });
});
