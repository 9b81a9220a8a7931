import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { appendManySuite } from './support/append-many-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('AuditTrail.appendMany on PostgreSQL', () => {
  appendManySuite(postgresTestDatabase);
});
