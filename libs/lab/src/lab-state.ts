import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Topology } from '#libs/topology';
import type { LabPaths } from './lab-paths.js';
import { isAlive, type ProcessIdentity } from './process/process-identity.js';

export interface RecordedProcess extends ProcessIdentity {
  readonly componentId: string;
  readonly command: string;
  readonly startedAt: string;
  readonly stopSignal: NodeJS.Signals;
}

/**
 * What the lab has started, on disk. Written after every spawn, so that a `faultline up` killed half-way
 * still leaves the next `down` (or `up`) everything it needs to find and stop the orphans.
 */
export interface LabState {
  readonly version: 1;
  readonly topology: Topology;
  readonly faultProxyUrl: string;
  readonly createdAt: string;
  readonly processes: Readonly<Record<string, RecordedProcess>>;
}

export function readLabState(paths: LabPaths): LabState | undefined {
  let text: string;
  try {
    text = readFileSync(paths.stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as LabState;
  if (state.version !== 1) throw new Error(`${paths.stateFile} was written by another faultline version (state version ${String(state.version)})`);
  return state;
}

/** Atomic: a reader never sees half a file, even if we are killed mid-write. */
export function writeLabState(paths: LabPaths, state: LabState): void {
  mkdirSync(dirname(paths.stateFile), { recursive: true });
  const tmp = `${paths.stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, paths.stateFile);
}

export function liveProcesses(state: LabState): RecordedProcess[] {
  return Object.values(state.processes).filter((p) => isAlive(p));
}
