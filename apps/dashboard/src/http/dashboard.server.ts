import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { edgeFiles, labSecret, readEdgeCacheStats, renderEdgeCacheMetrics, type EdgeCacheStats, type LabPaths } from '#libs/lab';
import { ControlService } from '../control.service.js';
import { DashboardRequestError, isDashboardRequestError } from '../dashboard.errors.js';
import { healRequestSchema, latencyRequestSchema, parseBody, partitionRequestSchema } from '../domain/control-request.js';
import { activeFaultOf } from '../domain/fault-windows.js';
import { renderFaultMetrics } from '../domain/metrics-text.js';
import { checkAdminToken, checkSameOrigin } from '../domain/request-guard.js';
import type { DashboardSnapshot } from '../domain/snapshot.model.js';
import { SnapshotService } from '../snapshot.service.js';
import { RUN_ID } from '../sources/runs-source.js';
import { CONTENT_TYPES, publicDir, vendorFiles } from './static-files.js';

export interface DashboardServerOptions {
  readonly paths: LabPaths;
  readonly faultlineBin: string;
  readonly host: string;
  readonly port: number;
  /** Listening beyond loopback was asked for explicitly; state-changing requests are then accepted under any Host name. */
  readonly allowRemote?: boolean;
  readonly intervalMs?: number;
}

export interface DashboardServer {
  readonly url: string;
  readonly snapshots: SnapshotService;
  close(): Promise<void>;
}

/** The page: scripts, styles and data only from this server; never framed. Reports get their own, stricter policy. */
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const REPORT_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
const ADMIN_TOKEN = 'dashboard-admin-token';

/**
 * The dashboard's HTTP server (Fastify): the page and its files, `/api/state` and the SSE stream
 * `/api/events`, the workshop controls (`POST /api/faults/*`: same origin + admin token), `/health` and
 * `/metrics` (the CDN edges' cache counts and the fault ledger, scraped by the lab's Prometheus).
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const snapshots = new SnapshotService({ paths: options.paths, faultlineBin: options.faultlineBin, ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }) });
  const controls = new ControlService({ paths: options.paths, faultlineBin: options.faultlineBin });
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
  const streams = new Set<FastifyReply['raw']>();
  const staticDir = publicDir();
  const vendor = vendorFiles();

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', PAGE_POLICY);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (isDashboardRequestError(error)) {
      if (error.status === 401) reply.header('www-authenticate', 'Bearer realm="faultline dashboard"');
      return reply.code(error.status).send({ error: error.code, field: error.field, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    const message = error instanceof Error ? error.message : String(error);
    // Fastify's own refusals: unparsable JSON, wrong content type, body too large.
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: 'DASHBOARD_REQUEST_INVALID', field: 'body', message });
    return reply.code(502).send({ error: 'FAULT_FAILED', field: null, message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'NOT_FOUND', field: 'url', message: `no such page or API: ${request.method} ${request.url.split('?')[0]}` }));

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/metrics', async (_request, reply) => {
    const edges = new Map<string, EdgeCacheStats>();
    for (const edge of snapshotsState(snapshots)?.topology.components.filter((c) => c.kind === 'cdn-edge') ?? []) {
      try {
        edges.set(edge.id, await readEdgeCacheStats(edgeFiles(edge, options.paths).accessLog));
      } catch {
        // An unreadable access log: that edge is left out of this scrape.
      }
    }
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return renderEdgeCacheMetrics(edges) + renderFaultMetrics(snapshots.activeFaults());
  });

  app.get('/api/state', async () => snapshots.snapshot());

  app.get('/api/events', async (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-accel-buffering': 'no',
    });
    const send = (snapshot: DashboardSnapshot): void => {
      raw.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
    };
    streams.add(raw);
    // A page that went away mid-write: its close handler unsubscribes it.
    raw.on('error', () => undefined);
    const unsubscribe = snapshots.subscribe(send);
    request.raw.on('close', () => {
      unsubscribe();
      streams.delete(raw);
    });
    raw.write('retry: 1000\n\n');
    send(await snapshots.snapshot());
  });

  const guarded = async (request: FastifyRequest): Promise<void> => {
    checkSameOrigin({
      origin: request.headers.origin,
      host: request.headers.host,
      fetchSite: request.headers['sec-fetch-site'] as string | undefined,
      allowRemote: options.allowRemote ?? false,
    });
    checkAdminToken(request.headers.authorization, labSecret(options.paths, ADMIN_TOKEN));
  };
  const afterChange = async (): Promise<void> => {
    await snapshots.refresh().catch(() => undefined);
  };

  app.post('/api/faults/latency', async (request, reply) => {
    await guarded(request);
    const fault = await controls.latency(parseBody(latencyRequestSchema, request.body));
    await afterChange();
    return reply.code(201).send({ fault: activeFaultOf(fault) });
  });
  app.post('/api/faults/partition', async (request, reply) => {
    await guarded(request);
    const fault = await controls.partition(parseBody(partitionRequestSchema, request.body));
    await afterChange();
    return reply.code(201).send({ fault: activeFaultOf(fault) });
  });
  app.post('/api/faults/heal', async (request) => {
    await guarded(request);
    const healed = await controls.heal(parseBody(healRequestSchema, request.body));
    await afterChange();
    return { healed: healed.map(activeFaultOf) };
  });
  /** Lets the page check a token before it enables its controls. */
  app.post('/api/session', async (request) => {
    await guarded(request);
    return { admin: true };
  });

  app.get('/runs/:id/report.html', async (request, reply) => {
    const { id } = request.params as { id: string };
    const file = RUN_ID.test(id) ? snapshots.runs.reportHtmlPath(id) : undefined;
    if (!file) throw new DashboardRequestError(404, 'id', `no report for run "${id}"`);
    reply.header('content-security-policy', REPORT_POLICY).type(CONTENT_TYPES['.html']!);
    return readFile(file);
  });

  const sendFile = async (reply: FastifyReply, file: string): Promise<FastifyReply> =>
    reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').header('cache-control', 'no-cache').send(await readFile(file));
  app.get('/', async (_request, reply) => sendFile(reply, join(staticDir, 'index.html')));
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  app.get('/static/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    if (!/^[a-z0-9-]+\.(js|css|svg)$/.test(file)) throw new DashboardRequestError(404, 'file', `no such file: ${file}`);
    return sendFile(reply, join(staticDir, file)).catch(() => {
      throw new DashboardRequestError(404, 'file', `no such file: ${file}`);
    });
  });
  app.get('/vendor/:file', async (request, reply) => {
    const file = vendor.get((request.params as { file: string }).file);
    if (!file) throw new DashboardRequestError(404, 'file', 'no such file');
    return sendFile(reply, file);
  });

  snapshots.start();
  const healer = setInterval(() => {
    if (snapshotsState(snapshots)) void controls.healDue();
  }, 2_000);

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    snapshots,
    async close() {
      clearInterval(healer);
      snapshots.stop();
      for (const stream of streams) stream.end();
      await app.close();
    },
  };
}

const snapshotsState = (snapshots: SnapshotService) => {
  try {
    return snapshots.lab.state();
  } catch {
    return undefined;
  }
};
