import { sqliteTestDatabase } from '../persistence/support/test-databases';
import { groupCommitSuite } from './support/group-commit-suite';

describe('group commit of issued certificates on SQLite', () => {
  groupCommitSuite(sqliteTestDatabase);
});
