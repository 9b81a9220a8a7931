import { skmCryptoServiceSuite } from './skm-crypto-service-suite';

describe('SKM crypto service on SQLite', () => {
  skmCryptoServiceSuite('sqlite');
});
