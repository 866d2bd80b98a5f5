import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { killPostgresNode, waitForPostgresNodeGone } from '../../../libs/lab/src/components/postgres/index.js';
import { faultline, isRunning, jsonOf } from '../../support/faultline-cli.js';

interface Status {
  running: boolean;
  healthy: boolean;
  entrypoint: string;
  components: { id: string; kind: string; dc: string | null; role: string | null; pid: number | null; address: string; healthy: boolean; running: boolean; detail: string | null }[];
  links: { name: string; from: string; to: string; listen: string; upstream: string; enabled: boolean | null; toxics: unknown[] }[];
}

const PORT_BASE = '25000';
let stateDir: string;
const cli = (...args: string[]) => faultline([...args, '--state-dir', stateDir]);
const status = async (): Promise<Status> => jsonOf<Status>(await cli('status', '--json'));

const get = (url: string): Promise<{ status: number; servedBy: string | undefined }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, servedBy: res.headers['x-served-by'] as string | undefined }));
    });
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });

async function eventually<T>(what: string, probe: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await probe();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what}: ${(last as Error)?.message ?? 'timed out'}`);
}

describe('the minimal lab, brought up for real', () => {
  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'faultline-lab-'));
    chmodSync(stateDir, 0o755); // Postgres runs as its own user and must reach its data folder.
  });

  afterAll(async () => {
    await cli('down', '--purge');
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('comes up with every component healthy and reports the load balancer as its entrypoint', async () => {
    const up = await cli('up', '--profile', 'minimal', '--port-base', PORT_BASE, '--json');
    expect({ code: up.code, stderr: up.code === 0 ? '' : up.stderr }).toEqual({ code: 0, stderr: '' });
    const result = jsonOf<{ entrypoint: string; alreadyRunning: boolean; dashboard: unknown; prometheus: unknown; sloTimeScale: number }>(up);
    expect(result.alreadyRunning).toBe(false);
    // The dashboard and Prometheus are lab components at their fixed ports; the admin token is the lab's secret.
    expect(result).toMatchObject({
      dashboard: { url: `http://127.0.0.1:${Number(PORT_BASE) + 2}/`, adminToken: readFileSync(join(stateDir, 'conf', 'secrets', 'dashboard-admin-token'), 'utf8').trim() },
      prometheus: { url: `http://127.0.0.1:${Number(PORT_BASE) + 1}` },
      sloTimeScale: 1,
    });

    const s = await status();
    expect(s.components.filter((c) => !c.healthy).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(s.entrypoint).toBe(result.entrypoint);
    const lb = s.components.find((c) => c.kind === 'load-balancer')!;
    expect(s.entrypoint).toBe(`http://${lb.address}`);
    expect(s.links.length).toBeGreaterThan(0);
    for (const link of s.links) expect(link).toMatchObject({ enabled: true, toxics: [] });
  }, 240_000);

  it('reports a running lab on a second up instead of starting it twice', async () => {
    const before = await status();
    const again = await cli('up', '--profile', 'minimal', '--port-base', PORT_BASE, '--json');
    expect(again.code).toBe(0);
    expect(jsonOf<{ alreadyRunning: boolean }>(again).alreadyRunning).toBe(true);
    const after = await status();
    expect(after.components.map((c) => c.pid)).toEqual(before.components.map((c) => c.pid));
  }, 60_000);

  it('replicates a write on the primary to the replica', async () => {
    const s = await status();
    const nodes = s.components.filter((c) => c.kind === 'postgres');
    const primary = nodes.find((c) => c.role === 'primary');
    const replica = nodes.find((c) => c.role === 'secondary');
    expect(primary && replica).toBeTruthy();
    const connect = async (address: string) => {
      const [host, port] = address.split(':');
      const client = new pg.Client({ host, port: Number(port), user: 'postgres', database: 'app' });
      await client.connect();
      return client;
    };
    const writer = await connect(primary!.address);
    const reader = await connect(replica!.address);
    try {
      const marker = `written-${Date.now()}`;
      await writer.query('CREATE TABLE IF NOT EXISTS lab_probe (marker text primary key)');
      await writer.query('INSERT INTO lab_probe VALUES ($1)', [marker]);
      const seen = await eventually(
        'the replica to replay the write',
        async () => {
          const r = await reader.query('SELECT marker FROM lab_probe WHERE marker = $1', [marker]);
          if (r.rowCount !== 1) throw new Error('not replayed yet');
          return r.rows[0].marker as string;
        },
        10_000,
      );
      expect(seen).toBe(marker);
      const recovery = await reader.query('SELECT pg_is_in_recovery() AS r');
      expect(recovery.rows[0].r).toBe(true);
    } finally {
      await writer.end();
      await reader.end();
    }
  }, 60_000);

  it('keeps serving through the load balancer from the other gateway after one is SIGKILLed', async () => {
    const s = await status();
    const gateways = s.components.filter((c) => c.kind === 'gateway');
    expect(gateways).toHaveLength(2);
    const servedBy = new Set<string>();
    for (let i = 0; i < 10; i++) servedBy.add((await get(`${s.entrypoint}/health/live`)).servedBy ?? '?');
    expect([...servedBy].sort()).toEqual(gateways.map((g) => g.id).sort());

    const [victim, survivor] = gateways;
    process.kill(victim!.pid!, 'SIGKILL');
    const killedAt = Date.now();
    // Every request must succeed, first by retry/redispatch, then because the victim left rotation.
    await eventually(
      'every request to be served by the surviving gateway',
      async () => {
        for (let i = 0; i < 10; i++) {
          const answer = await get(`${s.entrypoint}/health/live`);
          if (answer.status !== 200 || answer.servedBy !== survivor!.id) throw new Error(`answer ${answer.status} from ${answer.servedBy}`);
        }
      },
      2_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(2_500);

    const after = await status();
    const dead = after.components.find((c) => c.id === victim!.id)!;
    expect(dead).toMatchObject({ running: false, healthy: false, pid: null });
    expect((await cli('status')).code).toBe(1);
  }, 60_000);

  it('fails over when the primary dies, and comes back up with existing data and the roles swapped', async () => {
    const before = await status();
    const primary = before.components.find((c) => c.kind === 'postgres' && c.role === 'primary')!;
    const replica = before.components.find((c) => c.kind === 'postgres' && c.role === 'secondary')!;
    const state = JSON.parse(readFileSync(join(stateDir, 'lab.json'), 'utf8')) as { processes: Record<string, { pid: number; startTime: number }> };
    const killed = killPostgresNode(state.processes[primary.id]!);
    await waitForPostgresNodeGone(killed);
    await eventually(
      'the replica to be promoted',
      async () => {
        const s = await status();
        if (s.components.find((c) => c.id === replica.id)?.role !== 'primary') throw new Error('not promoted yet');
      },
      30_000,
    );
    expect((await cli('down', '--json')).code).toBe(0);
    const up = await cli('up', '--profile', 'minimal', '--port-base', PORT_BASE, '--json');
    expect({ code: up.code, stderr: up.code === 0 ? '' : up.stderr }).toEqual({ code: 0, stderr: '' });
    const after = await status();
    expect(after.components.filter((c) => !c.healthy).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(after.components.find((c) => c.id === replica.id)!.role).toBe('primary');
    expect(after.components.find((c) => c.id === primary.id)!.role).toBe('secondary');
  }, 240_000);

  it('stops every process and frees every port on down', async () => {
    const s = await status();
    const pids = s.components.map((c) => c.pid).filter((p): p is number => p !== null);
    const down = await cli('down', '--json');
    expect(down.code).toBe(0);
    expect(jsonOf<{ stillListening: string[] }>(down).stillListening).toEqual([]);
    const alive = pids.filter(isRunning);
    expect(alive).toEqual([]);
    expect((await cli('status')).code).toBe(3);
  }, 120_000);
});
