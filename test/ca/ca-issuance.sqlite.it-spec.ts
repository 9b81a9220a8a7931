import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { caIssuanceSuite } from './support/ca-issuance-suite';

describe('sub-CA issuance, revocation and CRLs on SQLite', () => {
  caIssuanceSuite(sqliteTestDatabase);
});
