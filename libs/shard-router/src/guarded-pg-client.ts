import pg from 'pg';
import { QUERY_TIMEOUT_CODE } from './pg-failure.js';

/** A query that got no answer within the router's query timeout; its connection was closed. */
export class QueryTimeoutError extends Error {
  readonly code = QUERY_TIMEOUT_CODE;

  constructor(readonly timeoutMs: number) {
    super(`query got no answer within ${timeoutMs} ms: connection closed`);
    this.name = 'QueryTimeoutError';
  }
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * pg's own `query_timeout` rejects the query but keeps the connection, with the query still in flight:
 * back in the pool, it blocks whatever is queued on it next. A blackholed node would so hang every
 * later request for another timeout, and TCP keepalive only notices after minutes. This client closes
 * the socket instead, so the query fails with `QueryTimeoutError` (a connection failure), pg marks the
 * client broken and TypeORM's query runner releases it with that error, which makes the pool drop it.
 *
 * The timer runs from the call to the answer, queueing on the client included. It should be longer
 * than `statement_timeout`, so that a live but slow server cancels the statement itself (57014, thrown
 * to the caller) before the connection is given up.
 */
export function guardedClientClass(queryTimeoutMs: number): typeof pg.Client {
  class GuardedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A broken connection is reported to its query (or, idle, to the pool); never crash on a stray 'error'.
      this.on('error', () => undefined);
      const original = (this.query as QueryFn).bind(this);
      (this as unknown as { query: QueryFn }).query = (...args: unknown[]) => guardedQuery(this, original, args, queryTimeoutMs);
    }
  }
  return GuardedClient;
}

function guardedQuery(client: pg.Client, original: QueryFn, args: unknown[], timeoutMs: number): unknown {
  const first = args[0] as { submit?: unknown } | undefined;
  // Submittables (cursors, streams) manage their own lifetime.
  if (timeoutMs <= 0 || (first && typeof first === 'object' && typeof first.submit === 'function')) return original(...args);
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    timer = undefined;
    const stream = (client as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection?.stream;
    stream?.destroy(new QueryTimeoutError(timeoutMs));
  }, timeoutMs);
  timer.unref();
  const done = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    const callback = last as (error: unknown, result: unknown) => void;
    args[args.length - 1] = (error: unknown, result: unknown) => {
      done();
      callback(error, result);
    };
    return original(...args);
  }
  let result: unknown;
  try {
    result = original(...args);
  } catch (error) {
    done();
    throw error;
  }
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  else done();
  return result;
}
