import { describePostgres } from '../../persistence/support/describe-postgres';
import { skmCryptoServiceSuite } from './skm-crypto-service-suite';

// With CI=true an unreachable server fails this file instead of skipping it (describePostgres).
describePostgres('SKM crypto service on PostgreSQL', () => {
  skmCryptoServiceSuite('postgres');
});
