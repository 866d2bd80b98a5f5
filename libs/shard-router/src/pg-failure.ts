/**
 * Which failures of a node the router acts on. Everything else (a constraint violation, a syntax error,
 * a statement timeout on a live server, the work's own errors) is the caller's and is thrown at once.
 *
 * - `read-only`: SQLSTATE 25006 `read_only_sql_transaction`: the node is a standby, or a promoted
 *   primary still in its read-only window (postgres-ha.md, trap 7); also 55000 "recovery is in
 *   progress" (e.g. `pg_current_wal_lsn()` or `nextval()` on a standby).
 * - `shutdown`: 57P01 `admin_shutdown`, 57P02 `crash_shutdown`, 57P03 `cannot_connect_now` (starting up,
 *   shutting down, or not yet accepting connections).
 * - `connection`: class 08 (connection exception); socket errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT,
 *   EPIPE, …); pg's "Connection terminated…", "timeout exceeded when trying to connect", "Query read
 *   timeout", "not queryable"; and the router's own query timeout (`QUERY_TIMEOUT_CODE`).
 * - `recovery-conflict`: 40001 "canceling statement due to conflict with recovery", which only a standby
 *   raises: a read retried elsewhere succeeds.
 */
export type NodeFailure = 'read-only' | 'shutdown' | 'connection' | 'recovery-conflict';

/** The code of the error the router's client raises when a query got no answer in time (it closes that connection). */
export const QUERY_TIMEOUT_CODE = 'FAULTLINE_QUERY_TIMEOUT';

const SHUTDOWN_STATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03']);
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTCONN',
  'EADDRNOTAVAIL',
  'EAI_AGAIN',
  QUERY_TIMEOUT_CODE,
]);
const CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|is not queryable|connection (?:timed out|timeout)|server closed the connection|socket hang up|connection refused|write after end/i;

/** The error itself, then what it wraps: TypeORM's `driverError`, `cause`, AggregateError's `errors`. */
function* errorChain(error: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (depth > 8 || typeof error !== 'object' || error === null) return;
  const e = error as Record<string, unknown>;
  yield e;
  if (e.driverError !== undefined && e.driverError !== error) yield* errorChain(e.driverError, depth + 1);
  if (e.cause !== undefined && e.cause !== error) yield* errorChain(e.cause, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) yield* errorChain(inner, depth + 1);
}

/** A 5-character SQLSTATE (pg's DatabaseError `code`), found anywhere in the error's chain. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const e of errorChain(error)) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !e.code.startsWith('E')) return e.code;
  }
  return undefined;
}

/** What kind of node failure `error` is, or undefined when it is not one (throw it to the caller). */
export function classifyNodeFailure(error: unknown): NodeFailure | undefined {
  let found: NodeFailure | undefined;
  for (const e of errorChain(error)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    if (code === '25006' || (code === '55000' && /recovery is in progress/i.test(message))) return 'read-only';
    if (code && SHUTDOWN_STATES.has(code)) return 'shutdown';
    if (code === '40001' && /conflict with recovery/i.test(message)) found ??= 'recovery-conflict';
    else if ((code && (code.startsWith('08') || SOCKET_CODES.has(code))) || CONNECTION_MESSAGES.test(message)) found ??= 'connection';
  }
  return found;
}

/** True for the failures after which the primary must be rediscovered and a write retried. */
export const isPrimaryFailure = (failure: NodeFailure | undefined): failure is 'read-only' | 'shutdown' | 'connection' =>
  failure === 'read-only' || failure === 'shutdown' || failure === 'connection';
