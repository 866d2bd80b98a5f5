import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { QueryTimeoutError, guardedClientClass } from './guarded-pg-client.js';
import { classifyNodeFailure } from './pg-failure.js';
import { startFakePgServer, type FakePgServer } from './testing/fake-pg-server.js';

describe('guardedClientClass: a query without an answer closes its connection', () => {
  let server: FakePgServer;
  beforeAll(async () => {
    server = await startFakePgServer('answer');
  });
  afterAll(async () => {
    await server.close();
  });

  const connect = async (timeoutMs: number) => {
    const Client = guardedClientClass(timeoutMs);
    const client = new Client({ connectionString: server.url });
    await client.connect();
    return client;
  };

  it('answered queries are untouched, the timer does not fire afterwards (promise and callback forms)', async () => {
    server.mode = 'answer';
    const client = await connect(150);
    const closedBefore = server.closedByClient;
    await client.query('select 1');
    await new Promise<void>((resolve, reject) => client.query('select 2', (error: Error | null) => (error ? reject(error) : resolve())));
    // Longer than the timeout: a leftover timer would close the connection now.
    await new Promise((r) => setTimeout(r, 300));
    await client.query('select 3');
    expect(server.closedByClient).toBe(closedBefore);
    await client.end();
  });

  it('a silent server: the query fails with QueryTimeoutError after the timeout and the socket is closed', async () => {
    server.mode = 'answer';
    const client = await connect(200);
    server.mode = 'silent';
    const closedBefore = server.closedByClient;
    const t0 = Date.now();
    const error = await client.query('select pg_sleep(10)').then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - t0;
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect(classifyNodeFailure(error)).toBe('connection');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    // The connection is given up, not left busy: the next query fails at once instead of queueing.
    await expect(client.query('select 1')).rejects.toThrow();
    const deadline = Date.now() + 2000;
    while (server.closedByClient === closedBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(server.closedByClient).toBe(closedBefore + 1);
  });

  it('callback form times out the same way', async () => {
    server.mode = 'answer';
    const client = await connect(150);
    server.mode = 'silent';
    const error = await new Promise<unknown>((resolve) => client.query('select 1', (e: Error | null) => resolve(e)));
    expect(error).toBeInstanceOf(QueryTimeoutError);
  });

  it('is a pg.Client', () => {
    const Client = guardedClientClass(100);
    expect(new Client()).toBeInstanceOf(pg.Client);
  });
});
