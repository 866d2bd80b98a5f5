import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATS_MAX_PAYLOAD } from '../../../../libs/lab/src/components/nats/nats.config.js';

/** A throwaway nats-server (the binary the lab runs) on a free loopback port, with the lab's max_payload. */
export interface NatsServer {
  readonly url: string;
  stop(): Promise<void>;
}

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

function launch(configFile: string): Promise<ChildProcess> {
  const child = spawn('nats-server', ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server not ready within 30 s:\n${log}`)), 30_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      if (log.length < 20_000) log += chunk;
      if (/Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited before it was ready:\n${log}`));
    });
  });
}

export async function startNatsServer(): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-media-nats-'));
  const configFile = join(dir, 'nats.conf');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(configFile, `listen: "127.0.0.1:${port}"\nmax_payload: ${NATS_MAX_PAYLOAD}\n`);
    try {
      const child = await launch(configFile);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return {
        url: `nats://127.0.0.1:${port}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      // Someone took the port between the probe and the bind: try another.
      if (attempt >= 5) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}
