import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { caIssuanceSuite } from './support/ca-issuance-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('sub-CA issuance, revocation and CRLs on PostgreSQL', () => {
  caIssuanceSuite(postgresTestDatabase);
});
