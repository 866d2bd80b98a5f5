import { FaultlineError } from '#libs/errors';
import type { Component } from '#libs/topology';
import { killPostgresNode, nodeProcessTree, stopPostgresNode, waitForPostgresNodeGone } from './components/postgres/index.js';
import { labContextFor } from './lab-up.js';
import type { LabPaths } from './lab-paths.js';
import { silentProgress, type LabProgress } from './lab-progress.js';
import { readLabState, writeLabState, type LabState, type RecordedProcess } from './lab-state.js';
import { LAB_LOCK_PATIENCE_MS, waitForLabLock, waitingFor } from './process/lab-lock.js';
import { isAlive, type ProcessIdentity } from './process/process-identity.js';
import { stopProcessGroup, waitForExit } from './process/stop-process-group.js';
import { startComponent } from './start-component.js';

/** The component id is not one of the running lab's processes; `valid` lists those that are. */
export class UnknownComponentError extends FaultlineError<'UNKNOWN_COMPONENT'> {
  readonly code = 'UNKNOWN_COMPONENT' as const;
  constructor(
    readonly componentId: string,
    readonly valid: readonly string[],
  ) {
    super(`no component "${componentId}" runs in this lab; valid names: ${valid.join(', ')}`);
  }
}

export class LabNotRunningError extends FaultlineError<'LAB_NOT_RUNNING'> {
  readonly code = 'LAB_NOT_RUNNING' as const;
  constructor(stateDir: string) {
    super(`no lab is running in ${stateDir}; start one with: faultline up`);
  }
}

export const isUnknownComponentError = (error: unknown): error is UnknownComponentError => error instanceof UnknownComponentError;
export const isLabNotRunningError = (error: unknown): error is LabNotRunningError => error instanceof LabNotRunningError;

/** The lab's state, or LabNotRunningError. */
export function runningLabState(paths: LabPaths): LabState {
  const state = readLabState(paths);
  if (!state || Object.values(state.processes).every((p) => !isAlive(p))) throw new LabNotRunningError(paths.root);
  return state;
}

function processOf(state: LabState, componentId: string): { component: Component; process: RecordedProcess } {
  const process = state.processes[componentId];
  const component = state.topology.components.find((c) => c.id === componentId);
  if (!process || !component) throw new UnknownComponentError(componentId, Object.keys(state.processes).sort());
  return { component, process };
}

const signalAll = (targets: readonly ProcessIdentity[], signal: NodeJS.Signals): void => {
  for (const target of targets) {
    if (!isAlive(target)) continue;
    try {
      process.kill(target.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
};

/**
 * Every process of a component: a Postgres node's whole tree (its keeper's group and the postmaster's
 * children, which leave that group), else the component's process group.
 */
function treeOf(component: Component, recorded: RecordedProcess): ProcessIdentity[] {
  if (component.kind === 'postgres' || component.kind === 'postgres-monitor') return nodeProcessTree(recorded);
  return [recorded];
}

export interface KilledComponent {
  readonly componentId: string;
  readonly pid: number;
  readonly killedAt: number;
}

/**
 * SIGKILL, as a crash: a Postgres node's keeper and postmaster with every child at once (nothing
 * restarts it in place), any other component's whole process group. Resolves once it is gone.
 */
export async function killComponent(paths: LabPaths, componentId: string): Promise<KilledComponent> {
  const state = runningLabState(paths);
  const { component, process: recorded } = processOf(state, componentId);
  const killedAt = Date.now();
  if (component.kind === 'postgres' || component.kind === 'postgres-monitor') {
    const killed = killPostgresNode(recorded);
    await waitForPostgresNodeGone(killed);
  } else if (isAlive(recorded)) {
    try {
      process.kill(-recorded.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    await waitForExit(recorded, 5_000);
  }
  return { componentId, pid: recorded.pid, killedAt };
}

export interface StoppedComponent {
  readonly componentId: string;
  readonly pid: number;
  /** `stopped`: it exited on its stop signal; `killed`: not within the timeout, so SIGKILL; `not-running`: it was down. */
  readonly outcome: 'stopped' | 'killed' | 'not-running';
  readonly stoppedAt: number;
}

/**
 * A clean stop, as `faultline down` does it: the component's own stop signal (SIGTERM; a Postgres node's
 * keeper then stops its Postgres with a fast shutdown and exits), SIGKILL to whatever is left after
 * `timeoutMs`. Resolves once every process of it is gone. The lab state keeps its record, so that
 * `restartComponent` can start it again.
 */
export async function stopComponent(paths: LabPaths, componentId: string, options: { timeoutMs?: number } = {}): Promise<StoppedComponent> {
  const state = runningLabState(paths);
  const { component, process: recorded } = processOf(state, componentId);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const outcome =
    component.kind === 'postgres' || component.kind === 'postgres-monitor'
      ? await stopPostgresNode(recorded, { timeoutMs })
      : await stopProcessGroup(recorded, { signal: recorded.stopSignal, timeoutMs });
  return { componentId, pid: recorded.pid, outcome, stoppedAt: Date.now() };
}

/**
 * SIGSTOP (pause) or SIGCONT (resume) to every process of the component: the gray failure — sockets stay
 * open, nothing answers. A group signal would miss a Postgres node's backends (they leave the group).
 */
export function signalComponent(paths: LabPaths, componentId: string, signal: 'SIGSTOP' | 'SIGCONT'): { componentId: string; processes: number } {
  const state = runningLabState(paths);
  const { component, process: recorded } = processOf(state, componentId);
  const tree = treeOf(component, recorded);
  if (component.kind !== 'postgres' && component.kind !== 'postgres-monitor') {
    try {
      process.kill(-recorded.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  } else {
    signalAll(tree, signal);
  }
  return { componentId, processes: tree.length };
}

/** Whether the component's recorded process runs. */
export function componentRunning(paths: LabPaths, componentId: string): boolean {
  const state = readLabState(paths);
  const recorded = state?.processes[componentId];
  return recorded !== undefined && isAlive(recorded);
}

/**
 * Starts a component that is not running (after a kill) again, as `up` would, and waits until it is
 * healthy; a Postgres node rejoins as whatever its monitor decides (a killed primary comes back as a
 * secondary). Does nothing to a component that runs.
 */
export async function restartComponent(
  paths: LabPaths,
  componentId: string,
  options: { faultlineBin: string; progress?: LabProgress },
): Promise<{ restarted: boolean }> {
  const state = runningLabState(paths);
  const { component, process: recorded } = processOf(state, componentId);
  if (isAlive(recorded)) return { restarted: false };
  const release = await waitForLabLock(paths.root, `restart ${componentId}`, { timeoutMs: LAB_LOCK_PATIENCE_MS, onWait: waitingFor((options.progress ?? silentProgress)) });
  try {
    const ctx = labContextFor(state.topology, paths, options.faultlineBin);
    await startComponent(component, ctx, paths, options.progress ?? silentProgress, (identity) => {
      const current = readLabState(paths) ?? state;
      writeLabState(paths, { ...current, processes: { ...current.processes, [componentId]: identity } });
    });
    return { restarted: true };
  } finally {
    release();
  }
}
