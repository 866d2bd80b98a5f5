import { existsSync, rmSync } from 'node:fs';
import type { Component, Topology } from '#libs/topology';
import type { LabPaths } from './lab-paths.js';
import type { LabProgress } from './lab-progress.js';
import { readLabState, writeLabState, type LabState } from './lab-state.js';
import { LAB_LOCK_PATIENCE_MS, waitForLabLock, waitingFor } from './process/lab-lock.js';
import { stopProcessGroup } from './process/stop-process-group.js';
import { tcpOpen } from './readiness/tcp-exchange.js';
import { startWaves, withPostgresOrder } from './start-waves.js';
import { postgresStartOrder, stopPostgresNode } from './components/postgres/index.js';

const STOP_TIMEOUT_MS = 10_000;

/**
 * The start waves with Postgres ordered by the monitor's current view when it answers (standbys stop
 * before their primary: see `withPostgresOrder`), by the initial roles when it does not.
 */
async function stopOrder(topology: Topology): Promise<Component[][]> {
  const waves = startWaves(topology);
  if (topology.shards.length === 0) return waves;
  try {
    return withPostgresOrder(waves, await postgresStartOrder({ topology }, { timeoutMs: 1500 }));
  } catch {
    return waves;
  }
}

/** Stops every recorded process group, the last wave first (apps before the stores they write to). */
export async function stopLab(state: LabState, options: { progress: LabProgress }): Promise<number> {
  let stopped = 0;
  const waves = (await stopOrder(state.topology)).reverse();
  const recordedIds = new Set(Object.keys(state.processes));
  const known = new Set(waves.flat().map((c) => c.id));
  // Processes recorded under ids the topology does not know (should not happen) go last.
  waves.push([...recordedIds].filter((id) => !known.has(id)).map((id) => ({ id }) as never));
  for (const wave of waves) {
    await Promise.all(
      wave
        .filter((c) => recordedIds.has(c.id))
        .map(async (c) => {
          const recorded = state.processes[c.id]!;
          const t0 = Date.now();
          options.progress({ type: 'component', id: c.id, state: 'stopping', elapsedMs: 0 });
          // Postgres's workers leave the keeper's process group: stop its whole process tree.
          const isPostgres = 'kind' in c && (c.kind === 'postgres' || c.kind === 'postgres-monitor');
          const outcome = isPostgres
            ? await stopPostgresNode(recorded, { timeoutMs: STOP_TIMEOUT_MS })
            : await stopProcessGroup(recorded, { signal: recorded.stopSignal, timeoutMs: STOP_TIMEOUT_MS });
          if (outcome !== 'not-running') stopped++;
          options.progress({ type: 'component', id: c.id, state: 'stopped', detail: outcome, elapsedMs: Date.now() - t0 });
        }),
    );
  }
  return stopped;
}

/** Every address the lab listens on: the components' ports and every proxy's. */
export function labAddresses(topology: Topology): { host: string; port: number; owner: string }[] {
  return [
    ...topology.components.flatMap((c) => [c.port, ...Object.values(c.ports)].map((port) => ({ host: c.host, port, owner: c.id }))),
    ...topology.links.map((l) => ({ ...l.listen, owner: `proxy ${l.name}` })),
  ];
}

export async function busyAddresses(topology: Topology): Promise<string[]> {
  const checks = await Promise.all(
    labAddresses(topology).map(async (a) => ((await tcpOpen(a.host, a.port, 300).then(() => true, () => false)) ? `${a.host}:${a.port} (${a.owner})` : null)),
  );
  return checks.filter((x): x is string => x !== null);
}

export interface DownResult {
  readonly wasRunning: boolean;
  readonly stopped: number;
  readonly purged: boolean;
  /** Lab addresses something still listens on after the stop (should be empty). */
  readonly stillListening: readonly string[];
  readonly durationMs: number;
}

export async function labDown(options: { paths: LabPaths; purge?: boolean; progress: LabProgress }): Promise<DownResult> {
  const startedAt = Date.now();
  const { paths } = options;
  if (!existsSync(paths.root)) return { wasRunning: false, stopped: 0, purged: false, stillListening: [], durationMs: 0 };
  const release = await waitForLabLock(paths.root, 'faultline down', { timeoutMs: LAB_LOCK_PATIENCE_MS, onWait: waitingFor(options.progress) });
  let purged = false;
  try {
    const state = readLabState(paths);
    let stopped = 0;
    let stillListening: string[] = [];
    if (state) {
      stopped = await stopLab(state, options);
      writeLabState(paths, { ...state, processes: {} });
      stillListening = await busyAddresses(state.topology);
    }
    if (options.purge) {
      // Only ever delete a folder that is recognisably a faultline state directory.
      if (state || existsSync(paths.logsDir) || existsSync(paths.dataDir)) {
        rmSync(paths.root, { recursive: true, force: true });
        purged = true;
      }
    }
    return { wasRunning: stopped > 0, stopped, purged, stillListening, durationMs: Date.now() - startedAt };
  } finally {
    if (!purged) release();
  }
}
