import { APP_DATABASE, pgQuery } from '#libs/lab';

/** `127.0.0.2:21014` → host and port. */
export function parseAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/**
 * One query on a fresh connection straight to a Postgres node's application database (its own address,
 * not a fault-proxy link: the runner must see the node even while its links are faulted).
 */
export function queryNode<Row extends Record<string, unknown> = Record<string, unknown>>(
  address: string,
  sql: string,
  options: { timeoutMs?: number; params?: unknown[] } = {},
): Promise<Row[]> {
  return pgQuery<Row>({ ...parseAddress(address), database: APP_DATABASE }, sql, { timeoutMs: options.timeoutMs ?? 5_000, ...(options.params && { params: options.params }) });
}
