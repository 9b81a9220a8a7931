import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { appendManySuite } from './support/append-many-suite';

describe('AuditTrail.appendMany on SQLite', () => {
  appendManySuite(sqliteTestDatabase);
});
