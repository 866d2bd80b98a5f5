import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FaultlineError } from '#libs/errors';
import { readStartTime } from './process-identity.js';

export class LabBusyError extends FaultlineError<'LAB_BUSY'> {
  readonly code = 'LAB_BUSY' as const;
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
        throw new LabBusyError(`another faultline command (${owner.what}, pid ${owner.pid}) is changing this lab; wait for it, or stop it`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new LabBusyError(`could not take the lab lock at ${file}`);
}
