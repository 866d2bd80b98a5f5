import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultline, faultlineBin, isRunning, jsonOf } from '../../support/faultline-cli.js';


describe('a lab whose `up` was killed half-way', () => {
  let stateDir: string;

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'faultline-crash-'));
    chmodSync(stateDir, 0o755);
  });

  afterAll(async () => {
    await faultline(['down', '--purge', '--state-dir', stateDir]);
    rmSync(stateDir, { recursive: true, force: true });
  }, 120_000);

  it('is stopped completely by the next `down`, which finds the orphans through the state file', async () => {
    const up = spawn(process.execPath, [faultlineBin, 'up', '--port-base', '26000', '--state-dir', stateDir], { stdio: 'ignore' });
    const stateFile = join(stateDir, 'lab.json');
    const recordedPids = (): number[] => {
      try {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { processes: Record<string, { pid: number }> };
        return Object.values(state.processes).map((p) => p.pid);
      } catch {
        return [];
      }
    };
    // Kill the runner once a few components (fault proxy, stores) are running and more are starting.
    const deadline = Date.now() + 60_000;
    while (recordedPids().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const orphans = recordedPids();
    expect(orphans.length).toBeGreaterThanOrEqual(4);
    up.kill('SIGKILL');
    await new Promise((r) => up.once('exit', r));
    expect(orphans.filter(isRunning).length).toBeGreaterThan(0);

    const down = await faultline(['down', '--json', '--state-dir', stateDir]);
    expect(down.code).toBe(0);
    const result = jsonOf<{ stopped: number; stillListening: string[] }>(down);
    expect(result.stillListening).toEqual([]);
    const all = recordedPids();
    expect(all.filter(isRunning)).toEqual([]);
  }, 120_000);
});
