import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { waitFor } from '../../support/wait-for.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultline, jsonOf } from '../../support/faultline-cli.js';

export interface LabStatus {
  running: boolean;
  healthy: boolean;
  entrypoint: string;
  components: { id: string; kind: string; dc: string | null; role: string | null; pid: number | null; address: string; healthy: boolean }[];
}

export interface RunningLab {
  readonly status: LabStatus;
  /** The lab's state folder (pass it as --state-dir to faultline commands run by hand). */
  readonly stateDir: string;
  /** The base URL of each gateway instance, by component id. */
  readonly gateways: ReadonlyMap<string, string>;
  cli(...args: string[]): ReturnType<typeof faultline>;
  down(): Promise<void>;
}

/**
 * A lab brought up by the CLI as a user would (`faultline up`), in its own state folder and port range,
 * for end-to-end tests; `down()` stops it and removes the folder.
 */
export async function startLab(options: { profile: string; portBase: number }): Promise<RunningLab> {
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
  // mkdtemp makes it private; Postgres runs as its own user and must reach its data below it.
  chmodSync(stateDir, 0o755);
  const cli = (...args: string[]) => faultline([...args, '--state-dir', stateDir], { timeoutMs: 240_000 });
  const up = await cli('up', '--profile', options.profile, '--port-base', String(options.portBase), '--json');
  if (up.code !== 0) {
    await cli('down');
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`faultline up failed (exit ${String(up.code)}):\n${up.stderr}\n${up.stdout}`);
  }
  const status = jsonOf<LabStatus>(await cli('status', '--json'));
  const gateways = new Map(status.components.filter((c) => c.kind === 'gateway').map((c) => [c.id, `http://${c.address}`]));
  return {
    status,
    stateDir,
    gateways,
    cli,
    async down() {
      // The state dir is how `down` finds the lab's processes: it is removed only once `down` succeeded (a
      // refused `down` followed by removing the folder once left a whole lab running with nothing to find it by).
      await waitFor('faultline down to succeed', async () => (await cli('down', '--purge')).code === 0, 120_000, 1000);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
