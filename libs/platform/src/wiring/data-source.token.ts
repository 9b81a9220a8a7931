/** The service's TypeORM DataSource (@smpki/persistence `openDatabase(config.database)`). */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** What the platform itself calls on the data source (readiness, shutdown); TypeORM's DataSource has all three. */
export interface DataSourcePort {
  readonly isInitialized: boolean;
  query(sql: string): Promise<unknown>;
  destroy(): Promise<void>;
}
