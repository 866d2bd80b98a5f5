import { createServer, type Server, type Socket } from 'node:net';

/**
 * Just enough of the PostgreSQL wire protocol to test client-side timeouts without a server: accepts
 * the startup (trust), then either answers every simple query with an empty result or never answers.
 * `blackhole` mode accepts TCP connections and never says anything (not even the startup answer).
 */
export interface FakePgServer {
  readonly port: number;
  readonly url: string;
  mode: 'answer' | 'silent' | 'blackhole';
  /** Connections the server has seen closed by the client. */
  readonly closedByClient: number;
  readonly queries: string[];
  close(): Promise<void>;
}

const message = (type: string, body: Buffer): Buffer => {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const AUTH_OK = message('R', int32(0));
const READY = message('Z', Buffer.from('I'));
const COMPLETE = message('C', Buffer.from('SELECT 0\0'));

export async function startFakePgServer(initialMode: FakePgServer['mode'] = 'answer'): Promise<FakePgServer> {
  const sockets = new Set<Socket>();
  let closedByClient = 0;
  const queries: string[] = [];
  const state = { mode: initialMode };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let closing = false;
    socket.on('close', () => {
      sockets.delete(socket);
      if (!closing) closedByClient++;
    });
    socket.on('error', () => undefined);
    (socket as Socket & { markClosing?: () => void }).markClosing = () => (closing = true);
    if (state.mode === 'blackhole') return;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 4) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          buffer = buffer.subarray(length);
          started = true;
          socket.write(Buffer.concat([AUTH_OK, READY]));
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]!);
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        const body = buffer.subarray(5, length + 1);
        buffer = buffer.subarray(length + 1);
        if (type === 'X') return; // Terminate
        if (type === 'Q') {
          queries.push(body.toString('utf8').replace(/\0$/, ''));
          if (state.mode === 'answer') socket.write(Buffer.concat([COMPLETE, READY]));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/app`,
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
    },
    get closedByClient() {
      return closedByClient;
    },
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          (s as Socket & { markClosing?: () => void }).markClosing?.();
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
