import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpForwarder {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * The smallest stand-in for a fault-proxy link: accepts on `listen` and pipes each connection to
 * `upstream`. When either side ends or fails, both are torn down (a dead upstream shows as a closed
 * connection, as it would through a real proxy).
 */
export async function startTcpForwarder(
  name: string,
  listen: { host: string; port: number },
  upstream: { host: string; port: number },
): Promise<TcpForwarder> {
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server: Server = createServer((client) => {
    track(client);
    const target = createConnection(upstream);
    track(target);
    client.setNoDelay(true);
    target.setNoDelay(true);
    const teardown = () => {
      client.destroy();
      target.destroy();
    };
    client.on('error', teardown);
    target.on('error', teardown);
    client.on('close', teardown);
    target.on('close', teardown);
    client.pipe(target);
    target.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  return {
    name,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
