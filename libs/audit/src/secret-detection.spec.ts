import { findSecret, isSecretLikeKey } from './secret-detection';

describe('secret detection', () => {
  it.each(['pin', 'userPin', 'so_pin', 'SO-PIN', 'puk', 'password', 'newPassword', 'passwd', 'passphrase', 'clientSecret', 'secret', 'token', 'accessToken', 'refresh_token', 'privateKey', 'private_key', 'PRIVATEKEY', 'secretKey', 'apiKey'])(
    'treats %s as a secret',
    (key) => expect(isSecretLikeKey(key)).toBe(true),
  );

  it.each(['tokenLabel', 'pinPolicy', 'privateKeyUri', 'secretKeyUri', 'keyUri', 'publicKey', 'spki', 'serial', 'subject', 'opinion', 'passwordChangedAt'])(
    'lets %s through',
    (key) => expect(isSecretLikeKey(key)).toBe(false),
  );

  it('finds secrets at any depth and in PEM values, naming the path', () => {
    expect(findSecret({ a: { b: [{ c: 1 }, { userPin: 'x' }] } }, 'details')).toBe('details.a.b[1].userPin');
    expect(findSecret({ key: '-----BEGIN PRIVATE KEY-----\nMIG...' }, 'details')).toBe('details.key');
    expect(findSecret({ key: '-----BEGIN EC PRIVATE KEY-----' })).toBe('$.key');
    expect(findSecret({ cert: '-----BEGIN CERTIFICATE-----', when: new Date(), n: 1 })).toBeUndefined();
  });
});
