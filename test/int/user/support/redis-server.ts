import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway redis-server (the Debian binary the lab runs) on a free loopback port, in a temp dir, with
 * no persistence. Stopped by its own pid; `pause`/`resume` (SIGSTOP/SIGCONT) play a Redis that hangs.
 */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const READY_LINE = /Ready to accept connections/;

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

function launch(port: number, dir: string): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server not ready within 20 s:\n${log}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    // Drained for the server's life: a full pipe would block its logging.
    child.stdout!.on('data', (chunk: string) => {
      if (log.length < 10_000) log += chunk;
      if (READY_LINE.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.resume();
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready:\n${log}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { child, ready, exited };
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { child, ready, exited } = launch(port, dir);
    try {
      await ready;
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      // Someone took the port between the probe and the bind: try another.
      if (attempt < 5) continue;
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const pid = child.pid!;
    let stopping: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid,
      pause: () => process.kill(pid, 'SIGSTOP'),
      resume: () => process.kill(pid, 'SIGCONT'),
      stop: () =>
        (stopping ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            process.kill(pid, 'SIGCONT'); // a paused server cannot act on SIGTERM
            process.kill(pid, 'SIGTERM');
            let timer: NodeJS.Timeout | undefined;
            const killed = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 5_000)))]);
            clearTimeout(timer);
            if (killed) {
              process.kill(pid, 'SIGKILL');
              await exited;
            }
          }
          rmSync(dir, { recursive: true, force: true });
        })()),
    };
  }
}
