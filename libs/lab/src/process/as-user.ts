import { userInfo } from 'node:os';

export const isRunningAsRoot = (): boolean => process.getuid?.() === 0;

/**
 * Wraps a command so it runs as `user` when we are root. `setpriv` execs in place (unlike runuser/su,
 * which fork and wait), so the pid we record is the real process and signals reach it directly.
 */
export function asUser(user: string | undefined, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!user || !isRunningAsRoot() || userInfo().username === user) return { command, args: [...args] };
  return { command: 'setpriv', args: ['--reuid', user, '--regid', user, '--init-groups', '--', command, ...args] };
}
