import pg from 'pg';

/** Runs one query on a fresh connection (never a pool: a check must see the server as it is now). */
export async function pgQuery<Row extends Record<string, unknown> = Record<string, unknown>>(
  connection: { host: string; port: number; user?: string; database?: string },
  sql: string,
  options: { timeoutMs?: number; params?: unknown[] } = {},
): Promise<Row[]> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const client = new pg.Client({
    host: connection.host,
    port: connection.port,
    user: connection.user ?? 'postgres',
    database: connection.database ?? 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<Row>(sql, options.params);
    return result.rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
