import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway nats-server with JetStream (the Debian binary the lab runs), on a free loopback port, with
 * its own store dir, configured like the lab's node (libs/lab/src/components/nats). Stopped by its own
 * pid. `restart()` stops it and starts it again on the same port and store: a NATS outage the clients
 * reconnect through.
 */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  /** The pid of the current process (changes on restart). */
  readonly pid: number;
  readonly storeDir: string;
  /** SIGTERM (SIGKILL after 5 s), waiting for the exit; the store stays. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** halt() then remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_LINE = /Server is ready/;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

function launch(configFile: string): { running: Running; ready: Promise<void> } {
  const child = spawn('nats-server', ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready within 30 s:\n${log}`)), 30_000);
    child.stderr!.setEncoding('utf8');
    // Drained for the server's life: a full pipe would block its logging.
    child.stderr!.on('data', (chunk: string) => {
      if (log.length < 20_000) log += chunk;
      if (READY_LINE.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited before it was ready:\n${log}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { running: { child, exited }, ready };
}

export async function startNatsServer(): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-nats-'));
  const storeDir = join(dir, 'store');
  const configFile = join(dir, 'nats.conf');
  let port = 0;
  let running: Running | undefined;

  const writeConfig = (): void =>
    writeFileSync(
      configFile,
      [
        `server_name: "test-nats"`,
        `listen: "127.0.0.1:${port}"`,
        `ping_interval: "5s"`,
        `ping_max: 2`,
        'jetstream {',
        `  store_dir: ${JSON.stringify(storeDir)}`,
        '  max_memory_store: 64MB',
        '  max_file_store: 512MB',
        '}',
        '',
      ].join('\n'),
    );

  const start = async (): Promise<void> => {
    const { running: next, ready } = launch(configFile);
    try {
      await ready;
    } catch (error) {
      next.child.kill('SIGKILL');
      await next.exited;
      throw error;
    }
    running = next;
  };

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    writeConfig();
    try {
      await start();
      break;
    } catch (error) {
      // Someone took the port between the probe and the bind: try another.
      if (attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const halt = async (): Promise<void> => {
    const current = running;
    running = undefined;
    if (!current || current.child.exitCode !== null || current.child.signalCode !== null) return;
    const pid = current.child.pid!;
    process.kill(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([current.exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 5_000)))]);
    clearTimeout(timer);
    if (killed) {
      process.kill(pid, 'SIGKILL');
      await current.exited;
    }
  };

  let stopping: Promise<void> | undefined;
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      if (!running) throw new Error('nats-server is not running');
      return running.child.pid!;
    },
    storeDir,
    halt,
    start,
    stop: () =>
      (stopping ??= (async () => {
        await halt();
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}
