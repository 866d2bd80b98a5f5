import { createServer, type Server } from 'node:http';

export interface FakeGateway {
  readonly id: string;
  /** Media requests answered so far (the edge tests count origin hits with it). */
  readonly mediaHits: number;
  /** Stops listening and drops every open connection, like a SIGKILLed process. */
  kill(): Promise<void>;
}

/**
 * A stand-in gateway on a gateway component's own address: `/health` (what the LB checks) answers 200, `/v1/media/<x>`
 * answers a cacheable body naming the gateway and a counter, anything else answers `{ gateway: id }`.
 */
export async function startFakeGateway(id: string, host: string, port: number): Promise<FakeGateway> {
  let mediaHits = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/health' || req.url === '/health/live') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('live\n');
    } else if (req.url?.startsWith('/v1/media/')) {
      mediaHits++;
      res
        .writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'public, max-age=600' })
        .end(`${req.url} from ${id} #${mediaHits}`);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ gateway: id, region: req.headers['x-client-region'] ?? null }));
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    id,
    get mediaHits() {
      return mediaHits;
    },
    kill: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
