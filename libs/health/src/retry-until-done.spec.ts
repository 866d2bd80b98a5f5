import { describe, expect, it } from '@jest/globals';
import { retryUntilDone } from './retry-until-done.js';

const collect = () => {
  const lines: string[] = [];
  return { lines, log: (level: string, _fields: Record<string, unknown>, message: string) => void lines.push(`${level}: ${message}`) };
};

describe('retryUntilDone', () => {
  it('retries a failing task until it succeeds, saying so once it is ready', async () => {
    const { lines, log } = collect();
    let calls = 0;
    await retryUntilDone(
      async () => {
        if (++calls < 3) throw new Error('shard 1 is down');
      },
      { signal: new AbortController().signal, what: 'user schema', log, stepMs: 1 },
    );
    expect(calls).toBe(3);
    expect(lines).toEqual(['warn: user schema not ready yet; retrying', 'warn: user schema not ready yet; retrying', 'info: user schema ready']);
  });

  it('stops waiting between attempts as soon as it is aborted, without rejecting', async () => {
    const { log } = collect();
    const controller = new AbortController();
    let calls = 0;
    const running = retryUntilDone(
      async () => {
        calls++;
        throw new Error('still down');
      },
      { signal: controller.signal, what: 'x', log, stepMs: 60_000 },
    );
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(running).resolves.toBeUndefined();
    expect(calls).toBe(1);
  });
});
