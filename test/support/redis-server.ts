import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort, startChildServer } from './child-server.js';

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

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-redis-'));
  let port = 0;
  try {
    const server = await onFreePort((free) => {
      port = free;
      return startChildServer({
        name: 'redis-server',
        command: ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
        readyLine: READY_LINE,
      });
    });
    const { pid } = server;
    let stopping: Promise<void> | undefined;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid,
      pause: () => process.kill(pid, 'SIGSTOP'),
      resume: () => process.kill(pid, 'SIGCONT'),
      stop: () =>
        (stopping ??= (async () => {
          if (server.isRunning()) process.kill(pid, 'SIGCONT'); // a paused server cannot act on SIGTERM
          await server.stop('SIGTERM', 5_000);
          rmSync(dir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
