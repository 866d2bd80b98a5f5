import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A throwaway nats-server (the Debian binary the lab runs) on a free loopback port. Stopped by its own pid. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
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

function launch(port: number): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready within 20 s:\n${log}`)), 20_000);
    // nats-server logs to stderr; drained for the server's life (a full pipe would block it).
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (log.length < 10_000) log += chunk;
      if (READY_LINE.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stdout!.resume();
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited before it was ready:\n${log}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return { child, ready, exited };
}

export async function startNatsServer(): Promise<NatsServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const { child, ready, exited } = launch(port);
    try {
      await ready;
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      if (attempt < 5) continue; // the port was taken between the probe and the bind
      throw error;
    }
    const pid = child.pid!;
    let stopping: Promise<void> | undefined;
    return {
      url: `nats://127.0.0.1:${port}`,
      port,
      pid,
      stop: () =>
        (stopping ??= (async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          process.kill(pid, 'SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const killed = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 5_000)))]);
          clearTimeout(timer);
          if (killed) {
            process.kill(pid, 'SIGKILL');
            await exited;
          }
        })()),
    };
  }
}
