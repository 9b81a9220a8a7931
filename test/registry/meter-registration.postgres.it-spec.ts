import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { meterRegistrationSuite } from './support/meter-registration-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('meter registration on PostgreSQL', () => {
  meterRegistrationSuite(postgresTestDatabase);
});
