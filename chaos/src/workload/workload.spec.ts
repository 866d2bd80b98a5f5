import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { completedOperations } from '../history/completed-operations.js';
import { HistoryRecorder } from '../history/history.recorder.js';
import { Workload } from './workload.js';

/** A stand-in for the gateway on a loopback port: every route answers at once; /v1/users/:id PATCH never does. */
let server: Server;
let baseUrl: string;
const unanswered: ServerResponse[] = [];
beforeAll(async () => {
  let users = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-served-by': 'fake' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/v1/users') return send(201, { id: `00000000-0000-4000-8000-${String(users++).padStart(12, '0')}` });
      if (req.url === '/v1/sessions') return send(201, { token: 't' });
      if (req.method === 'PATCH') return void unanswered.push(res);
      return send(200, { version: 1 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const res of unanswered) res.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('Workload', () => {
  it('sets each client up, issues operations at the rate, times slow ones out as info, and leaves a history that pairs', async () => {
    const recorder = new HistoryRecorder();
    const workload = new Workload({
      entrypoint: baseUrl,
      clients: 3,
      ratePerSecond: 40,
      mix: { register: 0, login: 0, update: 1, read: 3, upload: 0 },
      seed: 5,
      recorder,
      runTag: 'unit',
      // Far above what an immediate answer takes even on a loaded machine; the PATCHes never answer.
      timeoutMs: 1000,
    });
    const t0 = Date.now();
    await workload.start();
    for (;;) {
      const done = completedOperations(recorder.entries);
      if (done.some((op) => op.f === 'update' && op.completion !== undefined) && done.filter((op) => op.f === 'read').length >= 5) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await workload.stop();
    const elapsedMs = Date.now() - t0;
    const ops = completedOperations(recorder.entries);
    expect(ops.filter((op) => op.f === 'register')).toHaveLength(3);
    expect(ops.filter((op) => op.f === 'login')).toHaveLength(3);
    expect(ops.every((op) => op.completion !== undefined)).toBe(true);
    const updates = ops.filter((op) => op.f === 'update');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((op) => op.type === 'info' && op.error?.code === 'TIMEOUT')).toBe(true);
    expect(ops.filter((op) => op.f === 'read').every((op) => op.type === 'ok')).toBe(true);
    const stats = workload.stats();
    expect(stats.inFlight).toBe(0);
    expect(stats.completed).toBe(ops.length);
    // 40/s: every tick either issued an operation or was missed (all clients busy); timers may run late on a busy
    // machine, so at least half the ticks the elapsed time holds.
    expect(stats.started - 6 + stats.missedTicks).toBeGreaterThanOrEqual(Math.floor(((elapsedMs - 1000) * 40) / 1000 / 2));
  }, 10_000);
});
