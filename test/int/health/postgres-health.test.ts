import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { ShardConfig } from '#libs/config';
import { postgresHealthChecks, type HealthCheck } from '#libs/health';
import { startPostgresServer, type PostgresServer } from '../../support/postgres-server.js';

/** The Postgres readiness check against a real server: one kept connection per node, replaced when it breaks. */

async function sql<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

const probeBackends = async (url: string): Promise<number[]> =>
  (await sql<{ pid: number }>(url, "SELECT pid FROM pg_stat_activity WHERE application_name = 'faultline-health' ORDER BY pid")).map((r) => r.pid);

const run = (check: HealthCheck, timeoutMs = 2000) => check.run({ signal: new AbortController().signal, timeoutMs });

describe('the Postgres health check', () => {
  let server: PostgresServer;
  let check: HealthCheck;

  beforeAll(async () => {
    server = await startPostgresServer();
    const shard: ShardConfig = { id: 0, nodes: [{ name: 'node-1', url: server.url, dc: 'dc-a' }] };
    [check] = postgresHealthChecks([shard]);
  }, 60_000);
  afterAll(async () => {
    await check?.close?.();
    await server?.stop();
  });

  it('asks every check on the same connection instead of opening one (a backend fork) per check', async () => {
    for (let i = 0; i < 5; i++) expect(await run(check)).toEqual({ nodes: { 'node-1': expect.objectContaining({ ok: true, role: 'primary' }) } });
    expect(await probeBackends(server.url)).toHaveLength(1);
  });

  it('does not call a reachable node down when its kept connection was cut (a restart, a failover): it asks again on a new one', async () => {
    const [before] = await probeBackends(server.url);
    await sql(server.url, `SELECT pg_terminate_backend(${before!})`);
    expect(await run(check)).toEqual({ nodes: { 'node-1': expect.objectContaining({ ok: true }) } });
    const after = await probeBackends(server.url);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it('reports the node down, naming the reason, when it does not answer a query in time', async () => {
    // The probe's own backend stopped (SIGSTOP): the kept connection hangs like one to a partitioned node.
    const [pid] = await probeBackends(server.url);
    process.kill(pid!, 'SIGSTOP');
    try {
      await expect(run(check, 500)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.stringMatching(/no node of shard 0 answered/) });
    } finally {
      process.kill(pid!, 'SIGCONT');
    }
    expect(await run(check)).toEqual({ nodes: { 'node-1': expect.objectContaining({ ok: true }) } });
  });
});
