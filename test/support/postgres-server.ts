import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ChildServerStartError, onFreePort, startChildServer, type ChildServer } from './child-server.js';

/**
 * A throwaway PostgreSQL 15 for tests and benchmarks: its own data folder in a temp dir, its own free
 * port on 127.0.0.1, trust auth, gone after `stop()`. Nothing here depends on jest, so benchmarks use it too.
 *
 * Start time is dominated by `initdb` (≈ 2 s here), so the cluster `initdb` makes is cached once per
 * machine (per PostgreSQL binary folder and OS user) under the temp dir and copied for each server (≈ 0.2 s);
 * then the server itself is ready in ≈ 0.3 s.
 */

const execFileAsync = promisify(execFile);

/** Debian's layout; FAULTLINE_PG_BINDIR overrides it (the lab honours the same variable). */
const pgBinDir = (): string => process.env.FAULTLINE_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';
/** Postgres refuses to run as root: when we are root, the server runs as this OS user. */
const POSTGRES_OS_USER = 'postgres';
/** The database superuser (initdb -U) of every throwaway server, whoever runs it. */
const SUPERUSER = 'postgres';
const DIR_PREFIX = 'faultline-pg-';
/** Written in each server's folder: the pid of the process that owns it, for the sweep of leftovers. */
const OWNER_FILE = 'owner.pid';
const READY_LINE = /database system is ready to accept connections/;
const BIND_FAILURE = /could not (bind|create listen socket)|Address already in use/i;

/** For tests: fast and disposable. Nothing survives a crash, which is the point. */
const THROWAWAY_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  shared_buffers: '32MB',
  work_mem: '4MB',
  maintenance_work_mem: '16MB',
  max_wal_size: '256MB',
  autovacuum: 'off',
  jit: 'off',
};

/** For benchmarks: what a production primary does on commit — flushed to disk before the client hears "ok". */
const DURABLE_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  wal_level: 'replica',
  shared_buffers: '128MB',
  work_mem: '4MB',
  max_wal_size: '1GB',
  jit: 'off',
};

export interface PostgresServerOptions {
  /** fsync, synchronous_commit and full_page_writes on (see DURABLE_SETTINGS): for benchmarks. Default: off, for speed. */
  readonly durable?: boolean;
  /** Extra postgresql.conf settings; they win over the defaults above. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  /** Default 100: enough for a few pools per test file. */
  readonly maxConnections?: number;
}

export interface PostgresServer {
  /** Connection URL of the `postgres` database as the superuser (trust auth: no password). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Pid of the postmaster. */
  readonly pid: number;
  readonly dataDir: string;
  /** Every setting passed on the command line, for reports (benchmarks print them). */
  readonly settings: Readonly<Record<string, string>>;
  /** From the call to "ready to accept connections". */
  readonly startupMs: number;
  /** Immediate shutdown of the postmaster by pid, then the temp folder is removed. Safe to call twice. */
  stop(): Promise<void>;
}

/** Anything with a URL to a Postgres server, e.g. a `PostgresServer` or a pre-started one. */
export interface PostgresEndpoint {
  readonly url: string;
}

export interface FreshDatabase {
  readonly name: string;
  /** The server's URL with the database replaced by this one. */
  readonly url: string;
  /** Drops the database, closing its remaining connections (WITH (FORCE)). Safe to call twice. */
  drop(): Promise<void>;
}

interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The user Postgres must run as: `postgres` when we are root, else ourselves (undefined). */
function serverOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', POSTGRES_OS_USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', POSTGRES_OS_USER], { encoding: 'utf8' }).trim());
    return { name: POSTGRES_OS_USER, uid, gid };
  } catch (cause) {
    throw new Error(`running as root, Postgres must run as "${POSTGRES_OS_USER}", which does not exist: apt-get install -y postgresql-15`, { cause });
  }
}

/**
 * The command prefix that runs a Postgres binary: as `postgres` when we are root, and in every case with a
 * parent-death signal, so a server whose test process crashed shuts itself down instead of lingering.
 * setpriv applies --pdeathsig after changing the credentials (a credential change would clear it).
 */
function runAsPrefix(user: OsUser | undefined, pdeathsig: string | undefined): string[] {
  const setpriv = '/usr/bin/setpriv';
  if (!existsSync(setpriv)) {
    if (user) throw new Error(`${setpriv} is missing (package util-linux): it is needed to run Postgres as "${user.name}"`);
    return [];
  }
  const prefix = [setpriv];
  if (user) prefix.push('--reuid', user.name, '--regid', user.name, '--init-groups');
  if (pdeathsig) prefix.push('--pdeathsig', pdeathsig);
  return [...prefix, '--'];
}

function giveTo(user: OsUser | undefined, path: string): void {
  if (user) chownSync(path, user.uid, user.gid);
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the folders of throwaway servers whose owning process is gone (a crashed test run). Their
 * postmasters got the parent-death signal already; this only reclaims the disk.
 */
function sweepLeftovers(): void {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX) || entry.startsWith(`${DIR_PREFIX}template`)) continue;
    const dir = join(tmpdir(), entry);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      const pidFile = join(dir, 'data', 'postmaster.pid');
      const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner) && !(postmaster && isAlive(postmaster))) {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch {
      // Not ours, still being set up, or already gone: leave it.
    }
  }
}

/**
 * The initdb'd cluster every server is copied from, made once. Built under a private name and renamed into
 * place, so concurrent test processes never see half of one (the loser of the race drops its copy).
 */
async function clusterTemplate(binDir: string, user: OsUser | undefined): Promise<string> {
  const key = `${binDir.replace(/[^A-Za-z0-9]+/g, '_')}-${user?.name ?? process.getuid?.() ?? 'user'}`;
  const template = join(tmpdir(), `${DIR_PREFIX}template-${key}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;

  const staging = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}template-staging-`));
  try {
    chmodSync(staging, 0o755);
    giveTo(user, staging);
    const data = join(staging, 'data');
    const [command, ...args] = [
      ...runAsPrefix(user, undefined),
      join(binDir, 'initdb'),
      '-D',
      data,
      '-U',
      SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ];
    try {
      await execFileAsync(command!, args, { env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    } catch (cause) {
      const stderr = (cause as { stderr?: string }).stderr ?? '';
      throw new Error(`initdb failed: ${stderr.trim() || String(cause)}`, { cause });
    }
    try {
      renameSync(data, template);
    } catch (error) {
      if (!existsSync(join(template, 'PG_VERSION'))) throw error;
    }
    return template;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Starts a throwaway PostgreSQL 15 server. Call `stop()` when done (the parent-death signal covers crashes). */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const started = performance.now();
  const binDir = pgBinDir();
  if (!existsSync(join(binDir, 'postgres'))) {
    throw new Error(`PostgreSQL 15 is not installed in ${binDir}: apt-get install -y postgresql-15 (or set FAULTLINE_PG_BINDIR)`);
  }
  const user = serverOsUser();
  sweepLeftovers();
  const template = await clusterTemplate(binDir, user);

  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  // The server (maybe another OS user) writes its socket and lock file here, and must reach data/ through it.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  giveTo(user, dir);
  const dataDir = join(dir, 'data');
  try {
    // cp -a keeps the owner (postgres) and the 0700 mode Postgres insists on.
    await execFileAsync('cp', ['-a', template, dataDir]);
    mkdirSync(join(dir, 'run'), { mode: 0o755 });
    giveTo(user, join(dir, 'run'));

    // A lost race for the port shows in the log as a bind failure: only that is retried, on another port.
    const lostPortRace = (error: unknown): boolean => error instanceof ChildServerStartError && BIND_FAILURE.test(error.log);
    return await onFreePort(async (port) => {
      const settings: Record<string, string> = {
        ...(options.durable ? DURABLE_SETTINGS : THROWAWAY_SETTINGS),
        listen_addresses: '127.0.0.1',
        port: String(port),
        unix_socket_directories: join(dir, 'run'),
        max_connections: String(options.maxConnections ?? 100),
        huge_pages: 'off',
        ...Object.fromEntries(Object.entries(options.settings ?? {}).map(([name, value]) => [name, String(value)])),
      };
      const command = [
        ...runAsPrefix(user, 'SIGQUIT'),
        join(binDir, 'postgres'),
        '-D',
        dataDir,
        ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
      ];
      // Its log goes to stderr (the logging collector is off), read for the ready line and kept for errors.
      const postmaster = await startChildServer({ name: 'postgres', command, env: { ...process.env, LANG: 'C', LC_ALL: 'C' }, readyLine: READY_LINE, readyTimeoutMs: 30_000 });
      return serverHandle({ dir, dataDir, port, settings, postmaster, startupMs: performance.now() - started });
    }, lostPortRace);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function serverHandle(state: {
  dir: string;
  dataDir: string;
  port: number;
  settings: Record<string, string>;
  postmaster: ChildServer;
  startupMs: number;
}): PostgresServer {
  const { dir, port, postmaster } = state;
  const pid = postmaster.pid;
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    // Immediate shutdown: the postmaster ends its backends itself; nothing here is worth a checkpoint.
    await postmaster.stop('SIGQUIT', 10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    pid,
    dataDir: state.dataDir,
    settings: state.settings,
    startupMs: state.startupMs,
    stop: () => (stopping ??= stop()),
  };
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The same server, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function onMaintenanceDb<T>(server: PostgresEndpoint, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(server.url, 'postgres'), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the server with a unique name (created from template0, so nothing another test
 * put in template1 leaks in). Meant for one per test file: create it in beforeAll, `drop()` it in afterAll.
 */
export async function withFreshDatabase(server: PostgresEndpoint, prefix = 'test'): Promise<FreshDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onMaintenanceDb(server, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`));
  let dropping: Promise<void> | undefined;
  return {
    name,
    url: databaseUrl(server.url, name),
    drop: () =>
      (dropping ??= onMaintenanceDb(server, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      })),
  };
}
