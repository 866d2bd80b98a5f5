import { readFileSync } from 'node:fs';

/**
 * A process is identified by its pid *and* its start time (field 22 of /proc/PID/stat), so that a pid
 * reused by an unrelated process after a reboot or a long pause is never signalled by mistake.
 */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: number;
}

export function readStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined;
    return Number(fields[19]);
  } catch {
    return undefined;
  }
}

export function isAlive(identity: ProcessIdentity): boolean {
  return readStartTime(identity.pid) === identity.startTime;
}

/** Seconds the process has been running, from /proc (clock ticks since boot). */
export function uptimeSeconds(identity: ProcessIdentity): number | undefined {
  if (!isAlive(identity)) return undefined;
  const bootUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const ticksPerSecond = 100; // USER_HZ is 100 on every Linux ABI Node supports
  return Math.max(0, Math.round(bootUptime - identity.startTime / ticksPerSecond));
}
