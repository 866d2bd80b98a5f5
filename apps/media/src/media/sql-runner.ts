/**
 * Where SQL runs: a TypeORM DataSource, or a transaction's EntityManager. Both have this method, so the
 * statements here run unchanged inside or outside a transaction.
 */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}
