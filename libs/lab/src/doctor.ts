import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Topology } from '#libs/topology';
import type { LabPaths } from './lab-paths.js';
import { busyAddresses } from './lab-down.js';
import { liveProcesses, readLabState } from './lab-state.js';
import { isRunningAsRoot } from './process/as-user.js';

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found (a version, a count), or what is wrong. */
  readonly found: string;
  /** The exact command that fixes it, when not ok. */
  readonly fix?: string;
}

/** Debian packages the native lab needs, with the binary that proves each is there. */
export const requiredPackages: readonly { pkg: string; binary: string; versionArgs: string[] }[] = [
  { pkg: 'postgresql-15', binary: '/usr/lib/postgresql/15/bin/postgres', versionArgs: ['--version'] },
  { pkg: 'postgresql-15-auto-failover', binary: '/usr/lib/postgresql/15/lib/pgautofailover.so', versionArgs: [] },
  { pkg: 'pg-auto-failover-cli', binary: '/usr/bin/pg_autoctl', versionArgs: ['--version'] },
  { pkg: 'redis-server', binary: '/usr/bin/redis-server', versionArgs: ['--version'] },
  { pkg: 'nats-server', binary: '/usr/sbin/nats-server', versionArgs: ['--version'] },
  { pkg: 'haproxy', binary: '/usr/sbin/haproxy', versionArgs: ['-v'] },
  { pkg: 'nginx', binary: '/usr/sbin/nginx', versionArgs: ['-v'] },
  { pkg: 'prometheus', binary: '/usr/bin/prometheus', versionArgs: ['--version'] },
];

const installCommand = (pkgs: readonly string[]): string =>
  `${isRunningAsRoot() ? '' : 'sudo '}apt-get update && ${isRunningAsRoot() ? '' : 'sudo '}apt-get install -y ${pkgs.join(' ')}   (or: npm run setup)`;

const versionOf = (binary: string, args: string[]): string => {
  if (args.length === 0) return 'installed';
  // Some print their version on stderr (nginx -v), some on stdout.
  const out = spawnSync(binary, args, { encoding: 'utf8', timeout: 5000 });
  return (`${out.stdout ?? ''}${out.stderr ?? ''}`.trim() || 'installed').split('\n')[0]!;
};

export async function runDoctor(options: { topology: Topology; paths: LabPaths; faultlineBin: string }): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  checks.push({ name: 'node', ok: major >= 20, found: `v${process.versions.node}`, ...(major >= 20 ? {} : { fix: 'install Node.js 20 or newer' }) });

  for (const p of requiredPackages) {
    const ok = existsSync(p.binary);
    checks.push({ name: p.pkg, ok, found: ok ? versionOf(p.binary, p.versionArgs) : `missing (${p.binary})`, ...(ok ? {} : { fix: installCommand([p.pkg]) }) });
  }

  if (isRunningAsRoot()) {
    let hasUser = false;
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      hasUser = true;
    } catch {
      hasUser = false;
    }
    checks.push({
      name: 'postgres user',
      ok: hasUser,
      found: hasUser ? 'present (Postgres runs as it, since it refuses root)' : 'missing',
      ...(hasUser ? {} : { fix: installCommand(['postgresql-15']) }),
    });
  }

  const root = join(dirname(options.faultlineBin), '..');
  const built = ['gateway', 'user', 'media', 'worker', 'cli'].every((app) => existsSync(join(root, 'dist', 'apps', app, 'src', 'main.js')));
  checks.push({ name: 'faultline build', ok: built, found: built ? 'dist/ is built' : 'dist/ is missing or incomplete', ...(built ? {} : { fix: 'npm run build' }) });

  let freeBytes = 0;
  let probe = options.paths.root;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    const fs = statfsSync(probe);
    freeBytes = fs.bavail * fs.bsize;
  } catch {
    freeBytes = 0;
  }
  const enough = freeBytes >= 1024 ** 3;
  checks.push({
    name: 'disk',
    ok: enough,
    found: `${(freeBytes / 1024 ** 3).toFixed(1)} GiB free at ${probe}`,
    ...(enough ? {} : { fix: `free at least 1 GiB there, or choose another folder: faultline up --state-dir <dir>` }),
  });

  const state = readLabState(options.paths);
  const labRunning = state !== undefined && liveProcesses(state).length > 0;
  if (!labRunning) {
    const busy = await busyAddresses(options.topology);
    checks.push({
      name: 'ports',
      ok: busy.length === 0,
      found: busy.length === 0 ? `all free from ${options.topology.portBase}` : `in use: ${busy.slice(0, 5).join(', ')}${busy.length > 5 ? ` and ${busy.length - 5} more` : ''}`,
      ...(busy.length === 0 ? {} : { fix: `free them, or move the lab: faultline up --port-base ${options.topology.portBase + 1000}` }),
    });
  } else {
    checks.push({ name: 'ports', ok: true, found: `in use by the running "${state.topology.name}" lab` });
  }
  return checks;
}
