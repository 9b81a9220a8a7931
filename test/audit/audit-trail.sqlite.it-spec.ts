import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { auditTrailSuite } from './support/audit-trail-suite';

describe('audit trail on SQLite', () => {
  auditTrailSuite(sqliteTestDatabase);
});
