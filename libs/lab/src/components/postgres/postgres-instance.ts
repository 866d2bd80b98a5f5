import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Component, Topology } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import type { LabPaths } from '../../lab-paths.js';
import type { RunOptions, RunResult } from '../../process/run-command.js';

/** Where the PostgreSQL 15 server binaries are (Debian's layout); FAULTLINE_PG_BINDIR overrides it. */
export const pgBinDir = (env: NodeJS.ProcessEnv = process.env): string => env.FAULTLINE_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
export const PG_AUTOCTL = 'pg_autoctl';
/** The OS user Postgres runs as when the lab runs as root (Postgres refuses to run as root). */
export const POSTGRES_OS_USER = 'postgres';
/** The database superuser of every instance, whoever runs the lab (initdb -U). */
export const PG_SUPERUSER = 'postgres';
/** The database each shard's formation is created with (`--dbname`), the one the apps use. */
export const APP_DATABASE = 'app';
export const MONITOR_DATABASE = 'pg_auto_failover';
/** The role pg_autoctl keepers (and apps) use on the monitor. */
export const MONITOR_ROLE = 'autoctl_node';

const CREATED_MARKER = 'faultline-created';
const FAULTLINE_CONF = 'faultline.conf';
const INCLUDE_LINE = `include '${FAULTLINE_CONF}' # faultline's settings, kept last so that they win`;
/** Linux's limit for a unix socket path (sun_path is 108 bytes, NUL included). */
const MAX_SOCKET_PATH = 107;

/** Everything one Postgres instance (monitor or node) keeps on disk. */
export interface PgLayout {
  /** The component's folder under the lab's data dir: PGDATA, pg_autoctl's config and state. */
  readonly home: string;
  readonly pgdata: string;
  /** pg_autoctl keeps its config and its keeper state file here: they live and die with the data. */
  readonly xdgConfigHome: string;
  readonly xdgDataHome: string;
  /** pg_autoctl's pid file: transient, under the lab's run dir. */
  readonly xdgRuntimeDir: string;
  /** One socket folder for every instance of the lab (sockets are named by port): standbys inherit it from their primary's base backup. */
  readonly socketDir: string;
  /** The component's log (pg_autoctl's output and our commands'), as the runner names it. */
  readonly logFile: string;
  /** Postgres's own log (see `loggingSettings`), and its link beside the component's log. */
  readonly pgLogDir: string;
  readonly pgLog: string;
  readonly pgLogLink: string;
  /** pg_autoctl.cfg: pg_autoctl derives its path from PGDATA's absolute path. */
  readonly autoctlConfig: string;
  /** The keeper's state (nodes only). */
  readonly keeperState: string;
  /** Present while a `pg_autoctl create` has not finished; rerunning `create` resumes it. */
  readonly keeperInit: string;
  /** Written once `pg_autoctl create` succeeded. */
  readonly createdMarker: string;
}

export const pgLayout = (component: Component, ctx: LabContext): PgLayout => pgLayoutIn(ctx.paths, component.id);

/** The layout of component `id` in a lab's folders (what `pgLayout` gives, without a lab context). */
export function pgLayoutIn(paths: LabPaths, id: string): PgLayout {
  const home = paths.dataOf(id);
  const pgdata = join(home, 'pgdata');
  const xdgConfigHome = join(home, 'xdg-config');
  const xdgDataHome = join(home, 'xdg-data');
  return {
    home,
    pgdata,
    xdgConfigHome,
    xdgDataHome,
    xdgRuntimeDir: join(paths.runDir, id),
    socketDir: join(paths.runDir, 'pg'),
    logFile: paths.logFile(id),
    pgLogDir: join(home, 'log'),
    pgLog: join(home, 'log', 'postgresql.log'),
    pgLogLink: paths.logFile(`${id}.postgres`),
    autoctlConfig: join(xdgConfigHome, 'pg_autoctl', pgdata, 'pg_autoctl.cfg'),
    keeperState: join(xdgDataHome, 'pg_autoctl', pgdata, 'pg_autoctl.state'),
    keeperInit: join(xdgDataHome, 'pg_autoctl', pgdata, 'pg_autoctl.init'),
    createdMarker: join(home, CREATED_MARKER),
  };
}

/**
 * The environment of every pg_autoctl/initdb call and of `pg_autoctl run` for one instance: the same XDG
 * folders each time (pg_autoctl finds its config, state and pid file through them), the socket folder
 * as PGHOST, and the server binaries first on PATH. PG* variables of the caller are overridden.
 */
export function pgEnv(layout: PgLayout, port: number): Record<string, string> {
  return {
    PATH: [pgBinDir(), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':'),
    HOME: layout.home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    XDG_CONFIG_HOME: layout.xdgConfigHome,
    XDG_DATA_HOME: layout.xdgDataHome,
    XDG_RUNTIME_DIR: layout.xdgRuntimeDir,
    PGHOST: layout.socketDir,
    PGPORT: String(port),
    PGDATA: layout.pgdata,
    PGUSER: PG_SUPERUSER,
    PGDATABASE: 'postgres',
    PGSSLMODE: 'disable',
    PGCONNECT_TIMEOUT: '5',
  };
}

/** `runCommand` replaces the whole environment: start from ours, without the caller's PG* variables. */
const commandEnv = (layout: PgLayout, port: number): Record<string, string> => {
  const base = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('PG') && !e[0].startsWith('XDG_')),
  );
  return { ...base, ...pgEnv(layout, port) };
};

export const pgOsUser = (ctx: LabContext): string | undefined => (ctx.isRoot ? POSTGRES_OS_USER : undefined);

/** Runs a Postgres tool as the instance's user, with its environment, output appended to its log. */
export function runPg(
  ctx: LabContext,
  layout: PgLayout,
  port: number,
  command: string,
  args: readonly string[],
  options: Omit<RunOptions, 'user' | 'env' | 'logFile'> = {},
): Promise<RunResult> {
  const user = pgOsUser(ctx);
  return ctx.run(command, args, {
    ...(user ? { user } : {}),
    env: commandEnv(layout, port),
    cwd: layout.home,
    logFile: layout.logFile,
    timeoutMs: 120_000,
    ...options,
  });
}

const idCache = new Map<string, { uid: number; gid: number }>();
function osIds(user: string): { uid: number; gid: number } {
  let ids = idCache.get(user);
  if (!ids) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      ids = { uid, gid };
    } catch (cause) {
      throw new Error(`the lab runs as root, so Postgres must run as the "${user}" user, which does not exist (apt-get install -y postgresql-15 creates it)`, { cause });
    }
    idCache.set(user, ids);
  }
  return ids;
}

/** Gives a path we created to the Postgres user (a no-op when the lab does not run as root). */
export function giveToPostgres(ctx: LabContext, path: string): void {
  const user = pgOsUser(ctx);
  if (!user) return;
  const { uid, gid } = osIds(user);
  chownSync(path, uid, gid);
}

/**
 * Creates the instance's folders, owned by the Postgres user, and checks that this user can reach them
 * (every parent of the state dir must be searchable by others when the lab runs as root).
 */
export async function ensurePgFolders(ctx: LabContext, layout: PgLayout, port: number): Promise<void> {
  const socketPath = join(layout.socketDir, `.s.PGSQL.${port}`);
  if (socketPath.length > MAX_SOCKET_PATH) {
    throw new Error(
      `the lab's run dir is too deep for Postgres's unix sockets (${socketPath} is ${socketPath.length} characters, at most ${MAX_SOCKET_PATH}): use a shorter state dir`,
    );
  }
  mkdirSync(dirname(layout.logFile), { recursive: true });
  for (const dir of [layout.home, layout.xdgConfigHome, layout.xdgDataHome, layout.xdgRuntimeDir, layout.socketDir, layout.pgLogDir]) {
    mkdirSync(dir, { recursive: true });
    giveToPostgres(ctx, dir);
  }
  // XDG_RUNTIME_DIR must be private to its user.
  chmodSync(layout.xdgRuntimeDir, 0o700);
  // `faultline logs` shows <id>.log; Postgres's own log sits beside it as <id>.postgres.log.
  let linked: string | undefined;
  try {
    linked = readlinkSync(layout.pgLogLink);
  } catch {
    linked = undefined; // missing, or not a link
  }
  if (linked !== layout.pgLog) {
    rmSync(layout.pgLogLink, { force: true });
    symlinkSync(layout.pgLog, layout.pgLogLink);
  }
  if (ctx.isRoot) {
    const probe = await ctx
      .run('test', ['-w', layout.home, '-a', '-w', layout.socketDir, '-a', '-w', layout.xdgRuntimeDir], { user: POSTGRES_OS_USER, okCodes: [0, 1] })
      .catch(() => ({ code: 1 }));
    if (probe.code !== 0) {
      throw new Error(
        `the "${POSTGRES_OS_USER}" user cannot reach ${layout.home}: every parent folder of the lab's state dir must be searchable by others (chmod o+x)`,
      );
    }
  }
}

/** Writes a file inside an instance's folders, owned by the Postgres user (pg_rewind must be able to overwrite it). */
export function writePgFile(ctx: LabContext, path: string, content: string, mode = 0o600): void {
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  giveToPostgres(ctx, path);
}

const confValue = (value: string | number): string => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);

/** Trust on loopback only: the lab is reachable from this machine only, and has no passwords. */
const PG_HBA = `# Written by faultline on every start (pg_autoctl runs with --skip-pg-hba).
local   all          all                  trust
local   replication  all                  trust
host    all          all    127.0.0.0/8   trust
host    replication  all    127.0.0.0/8   trust
`;

/**
 * (Re)writes the instance's pg_hba.conf and faultline.conf, and makes sure postgresql.conf includes
 * faultline.conf on its very last line (pg_autoctl puts its own include on the first line), so that our
 * values win over pg_auto_failover's auto-tuning.
 */
export function writePgConfig(ctx: LabContext, layout: PgLayout, settings: Readonly<Record<string, string | number>>): void {
  writePgFile(ctx, join(layout.pgdata, 'pg_hba.conf'), PG_HBA);
  const lines = [
    "# Written by faultline on every start; included last from postgresql.conf, so these values win.",
    `unix_socket_directories = ${confValue(layout.socketDir)}`,
    ...Object.entries(settings).map(([name, value]) => `${name} = ${confValue(value)}`),
  ];
  writePgFile(ctx, join(layout.pgdata, FAULTLINE_CONF), lines.join('\n') + '\n');
  const mainConf = join(layout.pgdata, 'postgresql.conf');
  const current = readFileSync(mainConf, 'utf8').split('\n');
  const kept = current.filter((line) => line.trim() !== INCLUDE_LINE && !line.trim().startsWith(`include '${FAULTLINE_CONF}'`));
  while (kept.length > 0 && kept[kept.length - 1]!.trim() === '') kept.pop();
  const next = [...kept, INCLUDE_LINE, ''].join('\n');
  if (next !== current.join('\n')) writePgFile(ctx, mainConf, next);
}

export const hasPgData = (layout: PgLayout): boolean => existsSync(join(layout.pgdata, 'PG_VERSION'));
export const isCreated = (layout: PgLayout): boolean => existsSync(layout.createdMarker) && existsSync(layout.autoctlConfig);

/** `pg_autoctl create` finished for this keeper: its state file exists and its init file is gone. */
export const isKeeperCreated = (layout: PgLayout): boolean =>
  existsSync(layout.keeperState) && !existsSync(layout.keeperInit) && existsSync(layout.autoctlConfig);

/**
 * What pg_autoctl keeps for this instance, for the log and for error messages: every file in its config
 * and data folders (pg_autoctl.cfg; pg_autoctl.state, pg_autoctl.init, a leftover pg_autoctl.state.new)
 * with size and modification time, and whether PGDATA holds a cluster. A failed start is explained by
 * this line (e.g. "pg_autoctl.init 1024 B …, no pg_autoctl.state": a `create` that failed half-way).
 */
export function describeKeeperFiles(layout: PgLayout): string {
  const listing = (dir: string): string[] => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return [];
    }
    return names.map((name) => {
      try {
        const st = statSync(join(dir, name));
        return `${name} ${st.size} B ${st.mtime.toISOString().slice(11, 23)}`;
      } catch {
        return `${name} (vanished)`;
      }
    });
  };
  const files = [...listing(dirname(layout.autoctlConfig)), ...listing(dirname(layout.keeperState))];
  const missing = [layout.autoctlConfig, layout.keeperState].filter((f) => !existsSync(f)).map((f) => `no ${f.slice(f.lastIndexOf('/') + 1)}`);
  return [...(files.length > 0 ? files : ['no pg_autoctl files']), ...missing, hasPgData(layout) ? 'PGDATA has PG_VERSION' : 'PGDATA has no PG_VERSION'].join(', ');
}

/**
 * Writes pg_autoctl.cfg before `pg_autoctl create` runs: create reads an existing file and merges its
 * command line on top, so settings it has no option for (the keeper's timeouts) are in force from the
 * very first run.
 */
export function writeAutoctlConfig(ctx: LabContext, layout: PgLayout, values: Readonly<Record<string, string>>): void {
  const sections = new Map<string, string[]>();
  for (const [key, value] of Object.entries(values)) {
    const dot = key.indexOf('.');
    const section = key.slice(0, dot);
    sections.set(section, [...(sections.get(section) ?? []), `${key.slice(dot + 1)} = ${value}`]);
  }
  const text = [...sections].map(([section, lines]) => `[${section}]\n${lines.join('\n')}\n`).join('\n');
  let dir = layout.xdgConfigHome;
  for (const part of dirname(layout.autoctlConfig).slice(layout.xdgConfigHome.length).split('/').filter(Boolean)) {
    dir = join(dir, part);
    if (!existsSync(dir)) {
      mkdirSync(dir);
      giveToPostgres(ctx, dir);
    }
  }
  writePgFile(ctx, layout.autoctlConfig, text, 0o644);
}

export function markCreated(ctx: LabContext, layout: PgLayout): void {
  writePgFile(ctx, layout.createdMarker, `${new Date().toISOString()}\n`, 0o644);
}

/** initdb with the lab's choices: trust auth, superuser `postgres`, UTF-8, no fsync of the fresh cluster. */
export async function initdb(ctx: LabContext, layout: PgLayout, port: number): Promise<void> {
  await runPg(ctx, layout, port, join(pgBinDir(), 'initdb'), [
    '--pgdata',
    layout.pgdata,
    '--username',
    PG_SUPERUSER,
    '--auth',
    'trust',
    '--encoding',
    'UTF8',
    '--locale',
    'C.UTF-8',
    '--no-sync',
    '--no-instructions',
  ]);
}

/** Reads pg_autoctl.cfg (an INI file) as `section.option` → value. */
export function readAutoctlConfig(layout: PgLayout): Map<string, string> {
  const values = new Map<string, string>();
  let section = '';
  for (const raw of readFileSync(layout.autoctlConfig, 'utf8').split('\n')) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    else {
      const kv = /^([^=#;]+?)\s*=\s*(.*)$/.exec(line);
      if (kv) values.set(`${section}.${kv[1]}`, kv[2]!);
    }
  }
  return values;
}

/** Sets pg_autoctl config values that differ from the wanted ones (a running pg_autoctl reloads them). */
export async function applyAutoctlConfig(ctx: LabContext, layout: PgLayout, port: number, wanted: Readonly<Record<string, string>>): Promise<void> {
  const current = readAutoctlConfig(layout);
  for (const [key, value] of Object.entries(wanted)) {
    if (current.get(key) === value) continue;
    await runPg(ctx, layout, port, PG_AUTOCTL, ['config', 'set', '--pgdata', layout.pgdata, key, value]);
  }
}

/**
 * Data made for other ports cannot simply be reused: the monitor knows every node by its address.
 * Refuse with the fix instead of starting something inconsistent.
 */
export function assertSamePort(layout: PgLayout, component: Component): void {
  const configured = readAutoctlConfig(layout).get('postgresql.port');
  if (configured && Number(configured) !== component.port) {
    throw new Error(
      `${component.id}'s data in ${layout.home} was made for port ${configured}, but the topology now says ${component.port}: remove the lab's data (faultline down --purge) to start afresh`,
    );
  }
}

/** The monitor component of a topology (there is exactly one when there are shards). */
export function monitorOf(topology: Topology): Component {
  const monitor = topology.components.find((c) => c.kind === 'postgres-monitor');
  if (!monitor) throw new Error(`topology "${topology.name}" has no postgres-monitor`);
  return monitor;
}

export const pgCtlPath = (): string => join(pgBinDir(), 'pg_ctl');

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
