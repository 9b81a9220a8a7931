import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { directoryStoreSuite } from './support/directory-store-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('directory store on PostgreSQL', () => {
  directoryStoreSuite(postgresTestDatabase);
});
