import { mkdirSync } from 'node:fs';
import type { Component, Topology } from '#libs/topology';
import { populateLinks } from './components/fault-proxy/populate-links.js';
import { createLabContext, type LabContext } from './lab-context.js';
import { LabAlreadyRunningError } from './lab.errors.js';
import { labObservability, type LabObservability } from './lab-observability.js';
import type { LabPaths } from './lab-paths.js';
import type { LabProgress } from './lab-progress.js';
import { liveProcesses, readLabState, writeLabState, type LabState, type RecordedProcess } from './lab-state.js';
import { stopLab } from './lab-down.js';
import { LAB_LOCK_PATIENCE_MS, waitForLabLock, waitingFor } from './process/lab-lock.js';
import { isAlive } from './process/process-identity.js';
import { isRunningAsRoot } from './process/as-user.js';
import { runCommand } from './process/run-command.js';
import { startComponent } from './start-component.js';
import { startWaves, withPostgresOrder } from './start-waves.js';
import { postgresStartOrder } from './components/postgres/index.js';

export interface UpOptions {
  readonly topology: Topology;
  readonly paths: LabPaths;
  readonly faultlineBin: string;
  readonly progress: LabProgress;
  /** Leave what did start running when a component fails (for debugging); default: stop it all. */
  readonly keepOnFailure?: boolean;
}

export interface UpResult {
  readonly alreadyRunning: boolean;
  readonly topology: Topology;
  readonly entrypointUrl: string;
  readonly faultProxyUrl: string;
  readonly durationMs: number;
  /** Components recorded as started but no longer running (only when the lab was already up). */
  readonly down: readonly string[];
  /** The dashboard (URL and admin token) and Prometheus, for people: see `labObservability`. */
  readonly observability: LabObservability;
}


export const entrypointUrlOf = (topology: Topology): string => {
  const entry = topology.components.find((c) => c.id === topology.entrypoint)!;
  return `http://${entry.host}:${entry.port}`;
};

export const faultProxyUrlOf = (topology: Topology, env: NodeJS.ProcessEnv = process.env): string => {
  if (env.FAULTLINE_TOXIPROXY_URL) return env.FAULTLINE_TOXIPROXY_URL.replace(/\/$/, '');
  const proxy = topology.components.find((c) => c.kind === 'fault-proxy')!;
  return `http://${proxy.host}:${proxy.port}`;
};

export function labContextFor(topology: Topology, paths: LabPaths, faultlineBin: string): LabContext {
  return createLabContext({
    topology,
    paths,
    isRoot: isRunningAsRoot(),
    faultlineBin,
    faultProxyUrl: faultProxyUrlOf(topology),
    run: runCommand,
  });
}


/**
 * Brings the lab up in dependency waves, each component checked for real before the next wave starts.
 * Idempotent: a lab that already runs is reported, not started twice.
 */
export async function labUp(options: UpOptions): Promise<UpResult> {
  const { topology, paths, progress } = options;
  const startedAt = Date.now();
  const release = await waitForLabLock(paths.root, 'faultline up', { timeoutMs: LAB_LOCK_PATIENCE_MS, onWait: waitingFor(progress) });
  try {
    const existing = readLabState(paths);
    if (existing && liveProcesses(existing).length > 0) {
      if (existing.topology.name !== topology.name) throw new LabAlreadyRunningError(existing.topology.name, topology.name);
      const down = Object.values(existing.processes)
        .filter((p) => !isAlive(p))
        .map((p) => p.componentId);
      return {
        alreadyRunning: true,
        topology: existing.topology,
        entrypointUrl: entrypointUrlOf(existing.topology),
        faultProxyUrl: existing.faultProxyUrl,
        durationMs: Date.now() - startedAt,
        down,
        observability: labObservability(existing.topology, paths),
      };
    }

    for (const dir of [paths.root, paths.logsDir, paths.dataDir, paths.confDir, paths.runDir]) mkdirSync(dir, { recursive: true });
    const ctx = labContextFor(topology, paths, options.faultlineBin);
    // Before the dashboard starts, so that it reads the token rather than racing to make it.
    const observability = labObservability(topology, paths);
    const processes: Record<string, RecordedProcess> = {};
    const state = (): LabState => ({
      version: 1,
      topology,
      faultProxyUrl: ctx.faultProxyUrl,
      createdAt: new Date(startedAt).toISOString(),
      processes,
    });
    writeLabState(paths, state());

    const startOne = (component: Component): Promise<void> =>
      startComponent(component, ctx, paths, progress, (identity) => {
        processes[component.id] = identity;
        writeLabState(paths, state());
      });

    try {
      const waves = startWaves(topology);
      let postgresOrdered = false;
      for (let i = 0; i < waves.length; i++) {
        let wave = waves[i]!;
        if (wave[0]?.kind === 'postgres' && !postgresOrdered) {
          postgresOrdered = true;
          // After a failover the initial primary is a replica now: start each shard's *current* primary
          // first (the monitor knows it), or the demoted node waits forever for a primary.
          const ordered = withPostgresOrder(waves, await postgresStartOrder(ctx));
          waves.splice(0, waves.length, ...ordered);
          wave = waves[i]!;
        }
        const results = await Promise.allSettled(wave.map(startOne));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        if (wave.some((c) => c.kind === 'fault-proxy')) {
          progress({ type: 'phase', message: `creating ${topology.links.length} proxied links` });
          await populateLinks(ctx.faultProxyUrl, topology);
        }
      }
    } catch (error) {
      if (!options.keepOnFailure) {
        progress({ type: 'phase', message: 'start failed: stopping what was started' });
        await stopLab(state(), { progress });
        writeLabState(paths, { ...state(), processes: {} });
      }
      throw error;
    }

    return {
      alreadyRunning: false,
      topology,
      entrypointUrl: entrypointUrlOf(topology),
      faultProxyUrl: ctx.faultProxyUrl,
      durationMs: Date.now() - startedAt,
      down: [],
      observability,
    };
  } finally {
    release();
  }
}
