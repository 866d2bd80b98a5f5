import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { ProcessLaunch } from '../components/component-runner.js';
import { asUser } from './as-user.js';
import { readStartTime, type ProcessIdentity } from './process-identity.js';

/**
 * Starts a process in a new process group (its own session leader), with stdout and stderr appended to
 * `logFile`, and lets it outlive the faultline command that started it: the lab keeps running after
 * `faultline up` returns, and `down` finds it again through the recorded identity.
 */
export async function spawnDetached(launch: ProcessLaunch, logFile: string): Promise<ProcessIdentity> {
  const { command, args } = asUser(launch.user, launch.command, launch.args);
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: launch.cwd,
      env: { ...process.env, ...launch.env },
      detached: true,
      stdio: ['ignore', log, log],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', reject);
    });
    child.unref();
    const startTime = readStartTime(pid);
    if (startTime === undefined) throw new Error(`${launch.command} exited at once (see ${logFile})`);
    return { pid, startTime };
  } finally {
    closeSync(log);
  }
}
