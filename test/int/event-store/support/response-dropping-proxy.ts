import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder to Postgres that can lose one response on purpose: armed, it forwards the next request
 * and then, instead of the server's answer, cuts the connection. The server has done the work (an
 * autocommit statement's reply goes out after the commit); the client only knows the connection died —
 * the "timeout whose outcome is unknown" that idempotency keys are for.
 */
export interface ResponseDroppingProxy {
  readonly port: number;
  /** The next reply from the server to any client is dropped and that client's connection cut. */
  dropNextResponse(): void;
  /** How many responses were dropped so far. */
  readonly dropped: number;
  close(): Promise<void>;
}

export async function startResponseDroppingProxy(target: { host: string; port: number }): Promise<ResponseDroppingProxy> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: target.host, port: target.port });
    sockets.add(client).add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('end', cut);
    upstream.on('end', cut);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (armed) {
        armed = false;
        dropped++;
        cut();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    dropNextResponse: () => (armed = true),
    get dropped() {
      return dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
