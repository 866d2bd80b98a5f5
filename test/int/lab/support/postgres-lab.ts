import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Component, Topology } from '#libs/topology';
import type { ComponentRunner } from '../../../../libs/lab/src/components/component-runner.js';
import { describeKeeperFiles, nodeProcessTree, pgBinDir, pgLayout } from '../../../../libs/lab/src/components/postgres/index.js';
import type { LabContext } from '../../../../libs/lab/src/lab-context.js';
import { isAlive, type ProcessIdentity } from '../../../../libs/lab/src/process/process-identity.js';
import { spawnDetached } from '../../../../libs/lab/src/process/spawn-detached.js';

/** Why the Postgres tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  try {
    execFileSync('pg_autoctl', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'pg_autoctl is not installed (apt-get install -y postgresql-15 postgresql-15-auto-failover pg-auto-failover-cli)';
  }
  if (!existsSync(join(pgBinDir(), 'initdb'))) return `PostgreSQL 15 is not installed in ${pgBinDir()} (apt-get install -y postgresql-15)`;
  return undefined;
}

const tail = (file: string, lines = 25): string => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
};

/**
 * What the lab runner does for one component, in small: prepare, spawn detached, poll the real check
 * until healthy. Fails fast (with the log's tail) when the process exits.
 */
export async function startComponent(
  runner: ComponentRunner,
  component: Component,
  ctx: LabContext,
  options: { timeoutMs?: number; onSpawned?: (identity: ProcessIdentity) => void } = {},
): Promise<{ identity: ProcessIdentity; detail: string | undefined; steps: string }> {
  const logFile = ctx.paths.logFile(component.id);
  // For a Postgres node, what pg_autoctl had on disk explains most failed starts.
  const keeperFiles = () => (component.kind === 'postgres' ? `\nkeeper files now: ${describeKeeperFiles(pgLayout(component, ctx))}` : '');
  const t0 = Date.now();
  await runner.prepare(component, ctx);
  const steps = [`prepared ${Date.now() - t0} ms`];
  const identity = await spawnDetached(runner.launch(component, ctx), logFile);
  options.onSpawned?.(identity);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: string | undefined;
  for (;;) {
    const health = await runner.check(component, ctx);
    const detail = (health.detail ?? '').replace(/:.*/, '');
    if (detail !== last) steps.push(`${detail} @${Date.now() - t0}`);
    last = detail;
    if (health.healthy) return { identity, detail: health.detail, steps: `${component.id}: ${steps.join(', ')}` };
    if (!isAlive(identity)) throw new Error(`${component.id} exited (last check: ${health.detail})\n${tail(logFile)}${keeperFiles()}`);
    if (Date.now() > deadline) throw new Error(`${component.id} not healthy in time: ${health.detail}\n${tail(logFile)}${keeperFiles()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The child of a pg_autoctl supervisor that runs one of its services, by the title pg_autoctl gives it
 * (`pg_autoctl: node active`, `pg_autoctl: start/stop postgres`, `pg_autoctl: monitor listener`).
 */
export function pgAutoctlService(supervisor: ProcessIdentity, title: string): ProcessIdentity | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== supervisor.pid || f[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
      if (cmdline.startsWith(title)) return { pid: Number(name), startTime: Number(f[19]) };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** What a log file says after byte `from` (e.g. its size before an action). */
export function logSince(file: string, from: number): string {
  try {
    return readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return '';
  }
}

/** A log file's size now, to read what comes after it with `logSince`. */
export const logSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

/** RSS and PSS (kB) of a node's whole process tree (PSS shares shared memory fairly between processes). */
export function memoryOf(keeper: ProcessIdentity): { rssKb: number; pssKb: number; processes: number } {
  let rssKb = 0;
  let pssKb = 0;
  const tree = nodeProcessTree(keeper);
  for (const { pid } of tree) {
    try {
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { rssKb, pssKb, processes: tree.length };
}

const canListen = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/**
 * The first topology, from `make(portBase)` for portBase = from, from + step, …, whose every port is
 * free, so that concurrent runs of the integration tests (or a lab left running) do not collide.
 */
export async function topologyOnFreePorts(make: (portBase: number) => Topology, from = 23_000, step = 500, tries = 12): Promise<Topology> {
  for (let i = 0; i < tries; i++) {
    const topology = make(from + i * step);
    const wanted = [
      ...topology.components.flatMap((c) => [c.port, ...Object.values(c.ports)].map((port) => ({ host: c.host, port }))),
      ...topology.links.map((l) => l.listen),
    ];
    let free = true;
    for (const { host, port } of wanted) {
      if (!(await canListen(host, port))) {
        free = false;
        break;
      }
    }
    if (free) return topology;
  }
  throw new Error(`no free port range for the test lab from ${from} on`);
}

/**
 * CPU time (ms) the given process trees used over `ms` of wall time: utime + stime of each process, plus
 * cutime + cstime (its reaped children: the short-lived backends of health checks and keeper calls),
 * counted for the processes present at both ends.
 */
export async function cpuOver(keepers: readonly ProcessIdentity[], ms: number): Promise<number> {
  const ticks = (): Map<string, number> => {
    const byProcess = new Map<string, number>();
    for (const keeper of keepers) {
      for (const { pid, startTime } of nodeProcessTree(keeper)) {
        try {
          const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          byProcess.set(`${pid}/${startTime}`, Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
        } catch {
          // gone meanwhile
        }
      }
    }
    return byProcess;
  };
  const before = ticks();
  await new Promise((r) => setTimeout(r, ms));
  let used = 0;
  for (const [key, after] of ticks()) {
    const start = before.get(key);
    if (start !== undefined) used += after - start;
  }
  return used * 10; // USER_HZ = 100
}
