import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { startPostgresServer, withFreshDatabase } from '../../support/postgres-server.js';

/** The throwaway-server harness the event store tests (and the services benchmark) run on. */

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgresServer', () => {
  it('starts a fast throwaway server on a free loopback port, and stop() ends it and removes its folder', async () => {
    const server = await startPostgresServer();
    try {
      console.log(`throwaway PostgreSQL ready in ${Math.round(server.startupMs)} ms on port ${server.port}`);
      expect(server.host).toBe('127.0.0.1');
      expect([5432, 6379, 4222]).not.toContain(server.port);
      const [row] = await query<{ version: string; fsync: string; sc: string; owner: string }>(
        server.url,
        `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc,
                (SELECT usename FROM pg_user WHERE usesysid = (SELECT datdba FROM pg_database WHERE datname = 'postgres')) AS owner`,
      );
      expect(row).toMatchObject({ fsync: 'off', sc: 'off', owner: 'postgres' });
      expect(row!.version).toMatch(/^15\./);
      if (process.getuid?.() === 0) {
        // Postgres refuses root: the postmaster runs as the postgres OS user.
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]);
        expect(uid).not.toBe(0);
      }
    } finally {
      await server.stop();
    }
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(server.dataDir)).toBe(false);
    await server.stop(); // twice is fine
  }, 60_000);

  it('durable: fsync and synchronous_commit on, for benchmarks', async () => {
    const server = await startPostgresServer({ durable: true, settings: { work_mem: '8MB' } });
    try {
      const [row] = await query<{ fsync: string; sc: string; fpw: string; work_mem: string }>(
        server.url,
        `SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('full_page_writes') AS fpw, current_setting('work_mem') AS work_mem`,
      );
      expect(row).toEqual({ fsync: 'on', sc: 'on', fpw: 'on', work_mem: '8MB' });
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('withFreshDatabase creates a uniquely named empty database and drops it, even with connections open', async () => {
    const server = await startPostgresServer();
    try {
      const [one, two] = await Promise.all([withFreshDatabase(server, 'harness'), withFreshDatabase(server, 'harness')]);
      expect(one.name).not.toBe(two.name);
      await query(one.url, 'CREATE TABLE only_in_one (id int)');
      const tables = await query<{ n: number }>(two.url, `SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_one'`);
      expect(tables[0]!.n).toBe(0);

      const lingering = new pg.Client(one.url);
      await lingering.connect();
      lingering.on('error', () => undefined); // DROP … WITH (FORCE) ends it
      await one.drop();
      await two.drop();
      const names = await query<{ datname: string }>(server.url, 'SELECT datname FROM pg_database');
      expect(names.map((n) => n.datname)).not.toContain(one.name);
      expect(names.map((n) => n.datname)).not.toContain(two.name);
      await lingering.end().catch(() => undefined);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
