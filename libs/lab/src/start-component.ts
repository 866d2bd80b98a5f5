import { readFileSync } from 'node:fs';
import type { Component } from '#libs/topology';
import { runnerFor } from './components/component-registry.js';
import { usesExternalFaultProxy } from './components/fault-proxy/fault-proxy.component.js';
import type { LabContext } from './lab-context.js';
import { ComponentStartError } from './lab.errors.js';
import type { LabPaths } from './lab-paths.js';
import type { LabProgress } from './lab-progress.js';
import type { RecordedProcess } from './lab-state.js';
import { isAlive } from './process/process-identity.js';
import { spawnDetached } from './process/spawn-detached.js';

/**
 * How long a component may take to become healthy. Postgres nodes wait for the monitor. The apps start ten at
 * once on the full lab: importing one costs 1.4–2.3 s of CPU here (measured), so on 2 busy cores the last of them
 * listened only 30–31 s after its spawn (measured on 2026-11-27, three `up`s in a row failed at a 30 s limit).
 */
export const readyTimeoutMs = (c: Component): number => (c.kind === 'postgres' || c.kind === 'postgres-monitor' ? 90_000 : 60_000);

const logTail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
};

/**
 * Prepares, spawns and waits for one component until its check says healthy (a real check, never a
 * sleep). `onSpawned` records the process before the wait, so a command killed meanwhile still leaves
 * the next one what it needs to find it. Used by `up` for every component and by the restart of one.
 */
export async function startComponent(
  component: Component,
  ctx: LabContext,
  paths: LabPaths,
  progress: LabProgress,
  onSpawned: (identity: RecordedProcess) => void,
): Promise<void> {
  const t0 = Date.now();
  const report = (s: 'preparing' | 'starting' | 'waiting' | 'ready' | 'failed', detail?: string) =>
    progress({ type: 'component', id: component.id, state: s, elapsedMs: Date.now() - t0, ...(detail ? { detail } : {}) });
  const runner = runnerFor(component.kind);
  const logFile = paths.logFile(component.id);
  const external = component.kind === 'fault-proxy' && usesExternalFaultProxy();
  try {
    let identity: RecordedProcess | undefined;
    if (!external) {
      report('preparing');
      await runner.prepare(component, ctx);
      report('starting');
      const launch = runner.launch(component, ctx);
      const spawned = await spawnDetached(launch, logFile);
      identity = {
        ...spawned,
        componentId: component.id,
        command: [launch.command, ...launch.args].join(' '),
        startedAt: new Date().toISOString(),
        stopSignal: launch.stopSignal ?? 'SIGTERM',
      };
      onSpawned(identity);
    }
    report('waiting');
    const deadline = Date.now() + readyTimeoutMs(component);
    for (;;) {
      const health = await runner.check(component, ctx);
      if (health.healthy) break;
      if (identity && !isAlive(identity)) throw new Error(`the process exited${health.detail ? ` (last check: ${health.detail})` : ''}\n${logTail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`not healthy after ${readyTimeoutMs(component) / 1000} s: ${health.detail ?? 'no detail'}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    report('ready');
  } catch (error) {
    report('failed', (error as Error).message.split('\n')[0]);
    throw error instanceof ComponentStartError ? error : new ComponentStartError(component.id, logFile, (error as Error).message, { cause: error });
  }
}
