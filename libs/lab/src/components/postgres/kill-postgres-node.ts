import { readdirSync, readFileSync } from 'node:fs';
import { isAlive, type ProcessIdentity } from '../../process/process-identity.js';
import { waitForExit } from '../../process/stop-process-group.js';

/** A process as /proc shows it, zombies included. */
interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly startTime: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: f[0]!, ppid: Number(f[1]), pgrp: Number(f[2]), startTime: Number(f[19]) };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcStat[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) all.push(stat);
  }
  return all;
}

/** This very process still exists, alive or as a zombie not yet reaped. */
const exists = (p: ProcessIdentity): boolean => procStat(p.pid)?.startTime === p.startTime;

/**
 * The processes of a node started as one `pg_autoctl run`: the keeper's process group (pg_autoctl's
 * services and the postmaster) and every descendant, found by parent links — Postgres's own children
 * (checkpointer, walsender, backends, …) call setsid() and so are NOT in the keeper's process group.
 */
export function nodeProcessTree(keeper: ProcessIdentity): ProcessIdentity[] {
  const all = allProcesses();
  const leader = procStat(keeper.pid);
  const leaderIsOurs = leader?.startTime === keeper.startTime;
  // A pid is not reused while a process group of that id still has members: when the leader's pid is
  // held by another process, our group is empty and nothing of it is left to find.
  if (leader && !leaderIsOurs) return [];
  const found = new Map<number, ProcStat>();
  if (leader) found.set(leader.pid, leader);
  for (const p of all) if (p.pgrp === keeper.pid) found.set(p.pid, p);
  const children = new Map<number, ProcStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const queue = [...found.values()];
  while (queue.length > 0) {
    const parent = queue.pop()!;
    for (const child of children.get(parent.pid) ?? []) {
      // A child cannot be older than its parent: guards against a stale parent link after pid reuse.
      if (!found.has(child.pid) && child.startTime >= parent.startTime) {
        found.set(child.pid, child);
        queue.push(child);
      }
    }
  }
  return [...found.values()].map(({ pid, startTime }) => ({ pid, startTime }));
}

export interface KilledPostgresNode {
  /** The keeper as recorded when it was started. */
  readonly keeper: ProcessIdentity;
  /** Every process that was sent SIGKILL (keeper, its services, the postmaster and its children). */
  readonly processes: readonly ProcessIdentity[];
  readonly killedAt: number;
}

const sigkill = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/**
 * "The primary dies", deterministically: SIGKILL to the node's keeper process group (pg_autoctl and the
 * postmaster) and to every descendant, all at once, so that nothing restarts Postgres in place
 * (postgres-ha.md, trap 8) and no orphaned backend keeps the data dir's shared memory. `keeper` is the
 * identity recorded when `pg_autoctl run` was spawned; a pid that now belongs to another process is
 * never signalled. Works on a standby just as well.
 */
export function killPostgresNode(keeper: ProcessIdentity): KilledPostgresNode {
  const processes = nodeProcessTree(keeper);
  const leader = procStat(keeper.pid);
  if (leader?.startTime === keeper.startTime || (!leader && processes.length > 0)) {
    try {
      process.kill(-keeper.pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  for (const p of processes) if (exists(p)) sigkill(p.pid);
  return { keeper, processes, killedAt: Date.now() };
}

/**
 * Waits until every process of a killed (or stopped) node is gone from /proc, zombies included. A zombie
 * still counts as running where it matters: pg_autoctl's pid file check and Postgres's postmaster.pid
 * check both use kill(pid, 0), which succeeds on a zombie, so a restart before the dead keeper and
 * postmaster are reaped fails ("An instance of pg_autoctl is already running", postgres-ha.md trap 6).
 * The keeper is reaped by whoever spawned it (at once, if that is a live Node process); everything
 * below it is orphaned to PID 1, which on this machine kind reaps only every 1–2 s. Rejects after
 * `timeoutMs` naming what is left.
 */
export async function waitForPostgresNodeGone(node: KilledPostgresNode | ProcessIdentity, timeoutMs = 10_000): Promise<void> {
  const processes = 'processes' in node ? [node.keeper, ...node.processes] : nodeProcessTree(node);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = processes.filter(exists);
    if (left.length === 0) return;
    if (Date.now() >= deadline) {
      const describe = left.map((p) => `${p.pid} (${procStat(p.pid)?.state ?? '?'})`).join(', ');
      throw new Error(`processes of the Postgres node are still there after ${timeoutMs} ms: ${describe}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** SIGKILL to every member of a process group (none left is fine). */
const killGroup = (pgid: number): void => {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

/**
 * A clean stop of a node (or of the monitor) for `down`: SIGTERM to the pg_autoctl supervisor ALONE,
 * which stops its services itself (node-active, then Postgres in fast mode) and exits once they are gone;
 * SIGKILL after `timeoutMs`; then SIGKILL to whatever of the node's process tree is still there
 * (Postgres's children are not in the keeper's process group) and wait until all of it is gone.
 *
 * Never SIGTERM the whole process group: every service then gets the signal at the same instant as the
 * supervisor, and the supervisor's loop reaps a service that exited before it looks at its own pending
 * SIGTERM — so it restarts that service first ("Restarting service node-active"). In a process started
 * as `pg_autoctl create postgres … --run`, restarting node-active re-runs the whole `create`, which
 * (pg_autoctl 2.0) took the registered node for dropped, tried to register it again, failed, and
 * deleted the keeper's state file: the next start of that node failed with "Failed to read Keeper state".
 */
export async function stopPostgresNode(
  keeper: ProcessIdentity,
  options: { timeoutMs?: number; goneTimeoutMs?: number } = {},
): Promise<'stopped' | 'killed' | 'not-running'> {
  const processes = nodeProcessTree(keeper);
  let outcome: 'stopped' | 'killed' | 'not-running';
  if (!isAlive(keeper)) {
    outcome = 'not-running';
  } else {
    try {
      process.kill(keeper.pid, 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    outcome = (await waitForExit(keeper, options.timeoutMs ?? 15_000)) ? 'stopped' : 'killed';
  }
  // Whatever is left: the group (unless its id now names another process: then it is not ours) and
  // every process of the tree as it was, plus group members that appeared since.
  const left = [...processes, ...nodeProcessTree(keeper)];
  if (procStat(keeper.pid) === undefined || exists(keeper)) killGroup(keeper.pid);
  for (const p of left) if (exists(p)) sigkill(p.pid);
  await waitForPostgresNodeGone({ keeper, processes: left, killedAt: Date.now() }, options.goneTimeoutMs ?? 10_000);
  return outcome;
}
