import type { Provider } from '@nestjs/common';
import { DATA_SOURCE, type DataSourcePort } from '../wiring/data-source.token';
import { KEY_MANAGER, type KeyManagerPort } from '../wiring/key-manager.token';
import { provideReadinessCheck } from './readiness-check';

/** `database`: `SELECT 1` on the DATA_SOURCE (TypeORM DataSource). */
export function databaseReadinessCheck(): Provider {
  return provideReadinessCheck(
    {
      useFactory: (dataSource: DataSourcePort) => ({
        name: 'database',
        check: async () => {
          await dataSource.query('SELECT 1');
        },
      }),
      inject: [DATA_SOURCE],
    },
    'database',
  );
}

/** `hsm`: the KEY_MANAGER's `health()`, which logs in to the token and reports whether it answers. */
export function keyManagerReadinessCheck(): Provider {
  return provideReadinessCheck(
    {
      useFactory: (keyManager: KeyManagerPort) => ({
        name: 'hsm',
        check: async () => {
          const health = await keyManager.health();
          if (!health.ok) throw new Error(`token ${health.token} is not usable${health.detail ? `: ${health.detail}` : ''}`);
        },
      }),
      inject: [KEY_MANAGER],
    },
    'hsm',
  );
}
