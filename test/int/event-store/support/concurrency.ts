import type { DataSource } from 'typeorm';

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Polls `condition` until it holds; throws with `what` when it does not within the time. */
export async function waitUntil(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Resolves once a backend of `applicationName` is blocked on a lock — e.g. an insert waiting for another
 * transaction's uncommitted row with the same unique key. Makes "B started while A was open" a fact, not a hope.
 */
export function waitForLockWait(observer: DataSource, applicationName: string, count = 1): Promise<void> {
  return waitUntil(
    async () => {
      const rows = (await observer.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [applicationName],
      )) as { waiting: number }[];
      return (rows[0]?.waiting ?? 0) >= count;
    },
    `${count} backend(s) of ${applicationName} waiting on a lock`,
  );
}

/** Settles every promise and splits them by outcome. */
export async function settle<T>(promises: readonly Promise<T>[]): Promise<{ fulfilled: T[]; rejected: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    fulfilled: results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled').map((r) => r.value as T),
    rejected: results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason),
  };
}
