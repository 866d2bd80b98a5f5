import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Dependency } from '#libs/config';

/** The servers this machine kind starts before a session (and CI) runs. */
export const realServers: { readonly [D in Dependency]: { readonly port: number; readonly url: string; readonly label: string } } = {
  postgres: { port: 5432, url: 'postgres://postgres@127.0.0.1:5432/postgres', label: 'PostgreSQL at 127.0.0.1:5432' },
  redis: { port: 6379, url: 'redis://127.0.0.1:6379', label: 'Redis at 127.0.0.1:6379' },
  nats: { port: 4222, url: 'nats://127.0.0.1:4222', label: 'NATS at 127.0.0.1:4222' },
};

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function reachable(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Which of the real servers are up on this machine. */
export async function probeRealServers(): Promise<Record<Dependency, boolean>> {
  const [postgres, redis, nats] = await Promise.all([reachable(5432), reachable(6379), reachable(4222)]);
  return { postgres, redis, nats };
}

/** A port nothing listens on: bound to get a free one, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A TCP relay from 127.0.0.1:`listenPort` to 127.0.0.1:`targetPort`: a server that "comes up" on a
 * port the app was already trying. `close()` cuts every relayed connection too.
 */
export function startTcpRelay(listenPort: number, targetPort: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((inbound) => {
    const outbound = connect({ host: '127.0.0.1', port: targetPort });
    track(inbound);
    track(outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.once('close', () => outbound.destroy());
    outbound.once('close', () => inbound.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () =>
      resolve({
        close: () =>
          new Promise<void>((closed) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => closed());
          }),
      }),
    );
  });
}

/** Polls `probe` until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 5_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
