import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './bench-stats.js';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  /** Answers other than 200, by status (0: no answer). */
  readonly failures: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadTarget {
  readonly url: string;
  /** Headers of the i-th request (e.g. one of several sessions). */
  readonly headers?: (index: number) => Record<string, string>;
}

/** The answer's status, 0 when there was none. */
function get(agent: Agent, target: LoadTarget, index: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(target.url, { agent, headers: target.headers?.(index) ?? {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

class Tally {
  readonly latencies: number[] = [];
  readonly failures: Record<string, number> = {};
  errors = 0;

  record(status: number, latencyMs: number): void {
    this.latencies.push(latencyMs);
    if (status !== 200) {
      this.errors++;
      this.failures[status] = (this.failures[status] ?? 0) + 1;
    }
  }
}

const summarize = ({ latencies, errors, failures }: Tally, seconds: number): LoadResult => {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    failures,
    seconds,
    perSecond: (latencies.length - errors) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
};

/** As many requests as `connections` keep-alive connections can do, each sent when the previous answered. */
export async function closedLoop(target: LoadTarget, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const tally = new Tally();
  let index = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        const status = await get(agent, target, index++);
        tally.record(status, performance.now() - begin);
      }
    }),
  );
  agent.destroy();
  return summarize(tally, (performance.now() - started) / 1000);
}

/**
 * Requests at a fixed rate, whatever the answers do (an open loop). Latency counts from when a request
 * was due, not when it was sent, so a stalled server is not hidden by requests that waited to be sent
 * (coordinated omission).
 */
export async function openLoop(target: LoadTarget, perSecond: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const tally = new Tally();
  const total = Math.round(perSecond * seconds);
  const intervalMs = 1000 / perSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      get(agent, target, i).then((status) => tally.record(status, performance.now() - due)),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(tally, (performance.now() - started) / 1000);
}
