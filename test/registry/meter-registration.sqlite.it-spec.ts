import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { meterRegistrationSuite } from './support/meter-registration-suite';

describe('meter registration on SQLite', () => {
  meterRegistrationSuite(sqliteTestDatabase);
});
