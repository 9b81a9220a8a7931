import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase } from '../persistence/support/test-databases';
import { groupCommitSuite } from './support/group-commit-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('group commit of issued certificates on PostgreSQL', () => {
  groupCommitSuite(postgresTestDatabase);
});
