import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKeeperFiles, pgLayoutIn } from '../../../libs/lab/src/components/postgres/index.js';
import { labPaths } from '../../../libs/lab/src/lab-paths.js';
import { faultline, jsonOf } from '../../support/faultline-cli.js';
import { waitFor } from '../../support/wait-for.js';

interface Status {
  healthy: boolean;
  entrypoint: string;
  components: { id: string; kind: string; dc: string | null; role: string | null; pid: number | null; address: string; healthy: boolean; detail: string | null }[];
}

describe('the full two-DC lab', () => {
  let stateDir: string;
  const cli = (...args: string[]) => faultline([...args, '--state-dir', stateDir], { timeoutMs: 300_000 });

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'faultline-full-'));
    chmodSync(stateDir, 0o755);
  });

  afterAll(async () => {
    await cli('down', '--purge');
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('comes up healthy with each shard\'s primary in its own DC, behind the geo front, and goes down cleanly', async () => {
    const first = await cli('up', '--profile', 'full', '--port-base', '27000', '--json');
    expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr }).toEqual({ code: 0, stderr: '' });
    const firstUp = jsonOf<{ durationSeconds: number; entrypoint: string }>(first);

    const status = jsonOf<Status>(await cli('status', '--json'));
    expect(status.components.filter((c) => !c.healthy).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    const geo = status.components.find((c) => c.kind === 'geo-front')!;
    expect(status.entrypoint).toBe(`http://${geo.address}`);
    const primaries = status.components.filter((c) => c.kind === 'postgres' && c.role === 'primary');
    expect(primaries.map((p) => `${p.id}@${p.dc}`).sort()).toEqual(['shard0-1@dc-a', 'shard1-1@dc-b']);

    const down = await cli('down', '--json');
    expect(down.code).toBe(0);
    expect(jsonOf<{ stillListening: string[] }>(down).stillListening).toEqual([]);
    // Every Postgres node is stopped with its keeper state in place (a stop that made pg_autoctl restart
    // a service once deleted it, and the next `up` failed).
    const paths = labPaths(stateDir);
    const keepers = status.components
      .filter((c) => c.kind === 'postgres')
      .map((c) => {
        const layout = pgLayoutIn(paths, c.id);
        return { id: c.id, state: existsSync(layout.keeperState), init: existsSync(layout.keeperInit), files: describeKeeperFiles(layout) };
      });
    expect(keepers.length).toBe(4);
    expect(keepers.filter((k) => !k.state || k.init)).toEqual([]);

    // With existing data the second start is the one users wait for most often.
    const second = await cli('up', '--profile', 'full', '--port-base', '27000', '--json');
    expect({ code: second.code, stderr: second.code === 0 ? '' : second.stderr }).toEqual({ code: 0, stderr: '' });
    const secondUp = jsonOf<{ durationSeconds: number }>(second);
    const again = await cli('down', '--json');
    expect(again.code).toBe(0);
    process.stdout.write(
      `full lab: first up ${firstUp.durationSeconds.toFixed(1)} s, up with existing data ${secondUp.durationSeconds.toFixed(1)} s, ` +
        `down ${jsonOf<{ durationSeconds: number }>(down).durationSeconds.toFixed(1)} s, down again ${jsonOf<{ durationSeconds: number }>(again).durationSeconds.toFixed(1)} s\n`,
    );
  }, 600_000);

  it('after a DC partition failed shard 1 over to dc-a, goes down and comes back up with the roles the monitor gave', async () => {
    const up = await cli('up', '--profile', 'full', '--port-base', '27000', '--json');
    expect({ code: up.code, stderr: up.code === 0 ? '' : up.stderr }).toEqual({ code: 0, stderr: '' });
    const roles = async (): Promise<Record<string, string | null>> =>
      Object.fromEntries(jsonOf<Status>(await cli('status', '--json')).components.filter((c) => c.kind === 'postgres').map((c) => [c.id, c.role]));

    // The monitor lives in dc-a: cut off from it and from its standby, dc-b's primary of shard 1 is replaced.
    expect((await cli('fault', 'partition', 'dc-a', 'dc-b', '--json')).code).toBe(0);
    await waitFor('shard1-2 (dc-a) to be promoted', async () => (await roles())['shard1-2'] === 'primary', 90_000, 500);
    expect((await cli('fault', 'heal', '--all', '--json')).code).toBe(0);
    await waitFor('shard1-1 to rejoin as a secondary', async () => (await roles())['shard1-1'] === 'secondary', 120_000, 500);

    // `down` stops the standbys before their primaries (the monitor's view, not the initial roles), so
    // the monitor sees no failover on the way down, and `up` starts the current primaries first.
    const down = await cli('down', '--json');
    expect(down.code).toBe(0);
    const again = await cli('up', '--profile', 'full', '--port-base', '27000', '--json');
    expect({ code: again.code, stderr: again.code === 0 ? '' : again.stderr }).toEqual({ code: 0, stderr: '' });
    const status = jsonOf<Status>(await cli('status', '--json'));
    expect(status.components.filter((c) => !c.healthy).map((c) => `${c.id}: ${c.detail}`)).toEqual([]);
    expect(await roles()).toEqual({ 'shard0-1': 'primary', 'shard0-2': 'secondary', 'shard1-1': 'secondary', 'shard1-2': 'primary' });
    expect((await cli('down', '--json')).code).toBe(0);
  }, 600_000);
});
