import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { auditTrailSuite } from './support/audit-trail-suite';

describePostgres('audit trail on PostgreSQL', () => {
  auditTrailSuite(postgresTestDatabase);
});
