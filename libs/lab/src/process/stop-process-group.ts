import { isAlive, type ProcessIdentity } from './process-identity.js';

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

export async function waitForExit(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(identity)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/**
 * Stops a process group we started: the clean signal first, SIGKILL to the whole group after the
 * timeout. Only groups whose leader is still the very process we started are signalled.
 */
export async function stopProcessGroup(
  identity: ProcessIdentity,
  options: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isAlive(identity)) {
    // The leader is gone, but members of its group may live on (a postmaster's children): end them.
    signalGroup(identity.pid, 'SIGKILL');
    return 'not-running';
  }
  signalGroup(identity.pid, options.signal ?? 'SIGTERM');
  if (await waitForExit(identity, options.timeoutMs ?? 10_000)) {
    signalGroup(identity.pid, 'SIGKILL');
    return 'stopped';
  }
  signalGroup(identity.pid, 'SIGKILL');
  await waitForExit(identity, 5_000);
  return 'killed';
}
