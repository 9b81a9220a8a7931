import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { directoryStoreSuite } from './support/directory-store-suite';

describe('directory store on SQLite', () => {
  directoryStoreSuite(sqliteTestDatabase);
});
