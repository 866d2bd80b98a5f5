import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './bench-stats.js';

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
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

function get(agent: Agent, target: LoadTarget, index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(target.url, { agent, headers: target.headers?.(index) ?? {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

const summarize = (latencies: number[], errors: number, seconds: number): LoadResult => {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: (latencies.length - errors) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
};

/** As many requests as `connections` keep-alive connections can do, each sent when the previous answered. */
export async function closedLoop(target: LoadTarget, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let index = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        if (!(await get(agent, target, index++))) errors++;
        latencies.push(performance.now() - begin);
      }
    }),
  );
  agent.destroy();
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

/**
 * Requests at a fixed rate, whatever the answers do (an open loop). Latency counts from when a request
 * was due, not when it was sent, so a stalled server is not hidden by requests that waited to be sent
 * (coordinated omission).
 */
export async function openLoop(target: LoadTarget, perSecond: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(perSecond * seconds);
  const intervalMs = 1000 / perSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      get(agent, target, i).then((ok) => {
        if (!ok) errors++;
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}
