import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A stand-in for one fault-proxy link that a test can break: `forward` pipes each connection to the
 * upstream; `blackhole` keeps accepting connections and keeps open ones open but passes no byte either
 * way (a partition: clients see no answer, not an error); `reset()` drops every open connection.
 * When either side of a forwarded connection closes, both are torn down.
 */
export interface ControllableLink {
  readonly name: string;
  mode: 'forward' | 'blackhole';
  /** Closes every connection open now (new ones are accepted as before). */
  reset(): void;
  close(): Promise<void>;
}

export async function startControllableLink(
  name: string,
  listen: { host: string; port: number },
  upstream: { host: string; port: number },
): Promise<ControllableLink> {
  const state = { mode: 'forward' as ControllableLink['mode'] };
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server: Server = createServer((client) => {
    track(client);
    client.setNoDelay(true);
    client.on('error', () => client.destroy());
    if (state.mode === 'blackhole') {
      client.on('data', () => undefined); // swallowed
      return;
    }
    const target = createConnection(upstream);
    track(target);
    target.setNoDelay(true);
    const teardown = () => {
      client.destroy();
      target.destroy();
    };
    target.on('error', teardown);
    client.on('close', teardown);
    target.on('close', teardown);
    client.on('data', (chunk) => {
      if (state.mode === 'forward') target.write(chunk);
    });
    target.on('data', (chunk) => {
      if (state.mode === 'forward') client.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  return {
    name,
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
    },
    reset() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
