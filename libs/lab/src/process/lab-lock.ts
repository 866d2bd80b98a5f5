import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '#libs/errors';
import type { LabProgress } from '../lab-progress.js';
import { readStartTime } from './process-identity.js';

/** How long up, down and a restart wait for another command's hold on the lab (an up takes ~15–30 s). */
export const LAB_LOCK_PATIENCE_MS = 90_000;

/** Says on the progress stream whom a command waits for. */
export const waitingFor =
  (progress: LabProgress) =>
  (holder: string): void =>
    progress({ type: 'phase', message: `waiting for another faultline command (${holder}) to finish with this lab` });

export class LabBusyError extends FaultlineError<'LAB_BUSY'> {
  readonly code = 'LAB_BUSY' as const;
  constructor(
    message: string,
    /** The command holding the lock, e.g. `restart shard0-1, pid 4242`; undefined when it could not be told. */
    readonly holder?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One faultline command changes a lab at a time. The lock file holds the owner's pid and start time;
 * a lock whose owner is gone (killed with SIGKILL) is taken over.
 */
export function acquireLabLock(root: string, what: string): () => void {
  mkdirSync(root, { recursive: true });
  const file = join(root, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid), what }));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: { pid: number; startTime: number; what: string } | undefined;
      try {
        owner = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        owner = undefined;
      }
      if (owner && readStartTime(owner.pid) === owner.startTime) {
        const holder = `${owner.what}, pid ${owner.pid}`;
        throw new LabBusyError(`another faultline command (${holder}) is changing this lab; wait for it, or stop it`, holder);
      }
      rmSync(file, { force: true });
    }
  }
  throw new LabBusyError(`could not take the lab lock at ${file}`);
}

/**
 * Takes the lab lock, waiting while another living faultline command holds it (a fault heal restarting a node,
 * a lab coming up) instead of refusing at once. `onWait` is told once, with who holds it; after `timeoutMs` the
 * holder is named in a LabBusyError.
 */
export async function waitForLabLock(
  root: string,
  what: string,
  options: { readonly timeoutMs: number; readonly pollMs?: number; readonly onWait?: (holder: string) => void },
): Promise<() => void> {
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    try {
      return acquireLabLock(root, what);
    } catch (error) {
      if (!(error instanceof LabBusyError) || Date.now() >= deadline) {
        if (error instanceof LabBusyError && told) throw new LabBusyError(`${error.message} (waited ${Math.round(options.timeoutMs / 1000)} s)`, error.holder, { cause: error });
        throw error;
      }
      if (!told) options.onWait?.(error.holder ?? 'another faultline command');
      told = true;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }
}
