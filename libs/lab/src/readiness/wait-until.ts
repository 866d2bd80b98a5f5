/**
 * Polls `probe` until it resolves, or rejects with the last error after `timeoutMs`. Readiness is always
 * a real check that is retried, never a fixed sleep.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${what} was not ready after ${Math.round(options.timeoutMs / 1000)} s: ${reason}`, { cause: lastError });
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
