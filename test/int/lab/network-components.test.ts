import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topologyFromSpec, type Component, type Link } from '#libs/topology';
import { cdnEdgeRunner } from '../../../libs/lab/src/components/nginx/cdn-edge.component.js';
import type { ComponentRunner } from '../../../libs/lab/src/components/component-runner.js';
import { geoFrontRunner } from '../../../libs/lab/src/components/haproxy/geo-front.component.js';
import { backendStates, loadBalancerRunner } from '../../../libs/lab/src/components/haproxy/load-balancer.component.js';
import { natsJetStreamReady, natsRouteCount, natsRunner } from '../../../libs/lab/src/components/nats/nats.component.js';
import { redisRunner } from '../../../libs/lab/src/components/redis/redis.component.js';
import { createLabContext, type LabContext } from '../../../libs/lab/src/lab-context.js';
import { labPaths } from '../../../libs/lab/src/lab-paths.js';
import { isRunningAsRoot } from '../../../libs/lab/src/process/as-user.js';
import type { ProcessIdentity } from '../../../libs/lab/src/process/process-identity.js';
import { runCommand } from '../../../libs/lab/src/process/run-command.js';
import { spawnDetached } from '../../../libs/lab/src/process/spawn-detached.js';
import { stopProcessGroup } from '../../../libs/lab/src/process/stop-process-group.js';
import { httpGet, type HttpAnswer } from '../../../libs/lab/src/readiness/http-get.js';
import { waitUntil } from '../../../libs/lab/src/readiness/wait-until.js';
import { startTcpForwarder, type TcpForwarder } from './support/tcp-forwarder.js';
import { startFakeGateway, type FakeGateway } from './support-net/fake-gateway.js';

/**
 * Redis, NATS (clustered across two DCs), the HAProxy load balancers and geo front, and the nginx CDN
 * edges, started for real through their runners, each link through a TCP forwarder standing in for the
 * fault proxy, and fake gateways behind the load balancers.
 */

const TTL = 2;
const STALE = 3;
const topology = topologyFromSpec(
  {
    name: 'net-test',
    dataCenters: [
      { id: 'dc-a', region: 'eu', gateways: 2 },
      { id: 'dc-b', region: 'us', gateways: 2 },
    ],
    shards: [{ primary: 'dc-a', replicas: ['dc-b'] }],
    cdn: { ttlSeconds: TTL, staleSeconds: STALE },
    portBase: 24_000,
  },
  'network-components test',
);

const runners: Partial<Record<Component['kind'], ComponentRunner>> = {
  redis: redisRunner,
  nats: natsRunner,
  'load-balancer': loadBalancerRunner,
  'cdn-edge': cdnEdgeRunner,
  'geo-front': geoFrontRunner,
};
/** Started in this order, each wave in parallel (as `faultline up` does). */
const waves = [['dc-a.redis', 'dc-a.nats', 'dc-b.nats'], ['dc-a.lb', 'dc-b.lb', 'dc-a.edge', 'dc-b.edge'], ['geo']];
const gatewayIds = ['dc-a.gateway-1', 'dc-a.gateway-2', 'dc-b.gateway-1', 'dc-b.gateway-2'];

let stateDir: string;
let ctx: LabContext;
const processes = new Map<string, { identity: ProcessIdentity; stopSignal: NodeJS.Signals }>();
const forwarders = new Map<string, TcpForwarder>();
const gateways = new Map<string, FakeGateway>();
const readyMs: Record<string, number> = {};
const startedAt: Record<string, number> = {};
const measured: Record<string, number | string> = {};
const natsClients: NatsConnection[] = [];
let redis: Redis | undefined;

const c = (id: string): Component => ctx.component(id);
const urlOf = (id: string, path = '/'): string => `http://${c(id).host}:${c(id).port}${path}`;
const get = (url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> => httpGet(url, { timeoutMs: 3000, headers });
const send = (method: string, url: string): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { connection: 'close', 'content-length': '0' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(3000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
const header = (answer: HttpAnswer, name: string): string | undefined => answer.headers[name.toLowerCase()] as string | undefined;

async function startComponent(id: string): Promise<void> {
  const component = c(id);
  const runner = runners[component.kind]!;
  const t0 = Date.now();
  startedAt[id] = t0;
  await runner.prepare(component, ctx);
  const launch = runner.launch(component, ctx);
  const identity = await spawnDetached(launch, ctx.paths.logFile(id));
  processes.set(id, { identity, stopSignal: launch.stopSignal ?? 'SIGTERM' });
  await waitUntil(
    `${id} healthy`,
    async () => {
      const health = await runner.check(component, ctx);
      if (!health.healthy) throw new Error(health.detail ?? 'unhealthy');
    },
    { timeoutMs: 15_000, intervalMs: 25 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n--- ${id} log ---\n${readFileSync(ctx.paths.logFile(id), 'utf8').slice(-2000)}`);
  });
  readyMs[id] = Date.now() - t0;
}

async function stopComponent(id: string): Promise<string> {
  const p = processes.get(id);
  if (!p) return 'not-started';
  processes.delete(id);
  return stopProcessGroup(p.identity, { signal: p.stopSignal, timeoutMs: 5000 });
}

const linkBetween = (from: string, to: string): Link => ctx.link(from, to);
const openForwarder = async (link: Link): Promise<void> => {
  forwarders.set(link.name, await startTcpForwarder(link.name, link.listen, link.upstream));
};
const closeForwarder = async (link: Link): Promise<void> => {
  await forwarders.get(link.name)?.close();
  forwarders.delete(link.name);
};

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'faultline-net-'));
  const paths = labPaths(stateDir);
  for (const dir of [paths.logsDir, paths.dataDir, paths.confDir, paths.runDir]) mkdirSync(dir, { recursive: true });
  ctx = createLabContext({
    topology,
    paths,
    isRoot: isRunningAsRoot(),
    faultlineBin: join(process.cwd(), 'bin', 'faultline.js'),
    faultProxyUrl: `http://127.0.0.1:${topology.portBase}`,
    run: runCommand,
  });
  const running = new Set([...waves.flat(), ...gatewayIds]);
  for (const link of topology.links.filter((l) => running.has(l.from) && running.has(l.to))) await openForwarder(link);
  for (const id of gatewayIds) gateways.set(id, await startFakeGateway(id, c(id).host, c(id).port));
  for (const wave of waves) {
    // allSettled: nothing may still be starting when afterAll cleans up
    const failed = (await Promise.allSettled(wave.map(startComponent))).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}, 45_000);

afterAll(async () => {
  await Promise.allSettled(natsClients.map((nc) => nc.close()));
  redis?.disconnect();
  await Promise.allSettled([...processes.keys()].map(stopComponent));
  await Promise.allSettled([...forwarders.values()].map((f) => f.close()));
  await Promise.allSettled([...gateways.values()].map((g) => g.kill()));
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  console.log(`network components — ready after (ms): ${JSON.stringify(readyMs)}; measured: ${JSON.stringify(measured)}`);
}, 30_000);

describe('Redis', () => {
  it('answers PING and SET/GET, and keeps what it was told over a restart (AOF)', async () => {
    const id = 'dc-a.redis';
    expect(await redisRunner.check(c(id), ctx)).toEqual({ healthy: true });
    redis = new Redis({ host: c(id).host, port: c(id).port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.set('session:42', 'alice');
    expect(await redis.get('session:42')).toBe('alice');
    redis.disconnect();
    redis = undefined;

    expect(await stopComponent(id)).toBe('stopped');
    expect(existsSync(join(ctx.paths.dataOf(id), 'appendonlydir'))).toBe(true);
    const firstStartMs = readyMs[id]!;
    await startComponent(id);
    measured.redisRestartReadyMs = readyMs[id]!;
    readyMs[id] = firstStartMs;
    redis = new Redis({ host: c(id).host, port: c(id).port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    expect(await redis.get('session:42')).toBe('alice');
  });
});

describe('NATS cluster across the route proxies', () => {
  const [a, b] = ['dc-a.nats', 'dc-b.nats'];
  const routez = async (id: string) =>
    JSON.parse((await get(`http://${c(id).host}:${c(id).ports.monitoring}/routez`)).body) as {
      num_routes: number;
      routes: { did_solicit: boolean; port: number }[];
    };

  /** Subscribes on `to`, then publishes on `from` until a message arrives (interest crosses the route first). */
  async function delivered(from: NatsConnection, to: NatsConnection, subject: string, timeoutMs: number): Promise<boolean> {
    const sub = to.subscribe(subject);
    await to.flush();
    let got = false;
    void (async () => {
      for await (const _ of sub) got = true;
    })();
    const deadline = Date.now() + timeoutMs;
    while (!got && Date.now() < deadline) {
      from.publish(subject, 'hello');
      await from.flush();
      await new Promise((r) => setTimeout(r, 50));
    }
    sub.unsubscribe();
    return got;
  }

  it('forms the cluster through the proxies only, with a JetStream meta leader seen by both nodes', async () => {
    await waitUntil('JetStream meta leader', () => Promise.all([a, b].map((id) => natsJetStreamReady(c(id)))), {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    measured.natsJetStreamReadyAfterStartMs = Date.now() - Math.min(startedAt[a]!, startedAt[b]!);
    for (const id of [a, b]) {
      const health = await natsRunner.check(c(id), ctx);
      expect(health.healthy).toBe(true);
      expect(health.detail).toMatch(/^JetStream leader dc-[ab]\.nats; routes 1\/1$/);
    }
    // One route between the two; the node that dialled it sees the link's proxy port as the remote end,
    // the other sees the proxy's own outgoing connection. Neither ever sees the peer's cluster port.
    const remotePorts: number[] = [];
    for (const [self, peer] of [
      [a, b],
      [b, a],
    ] as const) {
      const z = await routez(self);
      expect(z.num_routes).toBe(1);
      for (const route of z.routes) {
        expect(route.port).not.toBe(c(peer).ports.cluster);
        remotePorts.push(route.port);
      }
    }
    const proxyPorts = [linkBetween(a, b), linkBetween(b, a)].map((l) => l.listen.port);
    expect(remotePorts.filter((p) => proxyPorts.includes(p))).toHaveLength(1);
   }, 20_000);

  it('delivers a message published on one node to a subscriber on the other', async () => {
    const [na, nb] = await Promise.all([a, b].map((id) => connect({ servers: `${c(id).host}:${c(id).port}`, reconnect: false })));
    natsClients.push(na!, nb!);
    expect(await delivered(na!, nb!, 'lab.cross-dc', 5000)).toBe(true);
    expect(await delivered(nb!, na!, 'lab.cross-dc-back', 5000)).toBe(true);
  });

  it('loses the route when the route proxies close (a DC partition), and heals through them when they reopen', async () => {
    const [na, nb] = natsClients;
    const routeLinks = [linkBetween(a, b), linkBetween(b, a)];
    const t0 = Date.now();
    await Promise.all(routeLinks.map(closeForwarder));
    await waitUntil('routes gone', async () => {
      const counts = await Promise.all([a, b].map((id) => natsRouteCount(c(id))));
      if (counts.some((n) => n !== 0)) throw new Error(`routes: ${counts.join(', ')}`);
    }, { timeoutMs: 5000, intervalMs: 50 });
    measured.natsPartitionDetectedMs = Date.now() - t0;
    expect(await delivered(na!, nb!, 'lab.partitioned', 500)).toBe(false);
    expect((await natsRunner.check(c(a), ctx)).detail).toMatch(/routes 0\/1/);

    const t1 = Date.now();
    await Promise.all(routeLinks.map(openForwarder));
    await waitUntil('route back', async () => {
      const counts = await Promise.all([a, b].map((id) => natsRouteCount(c(id))));
      if (counts.some((n) => n !== 1)) throw new Error(`routes: ${counts.join(', ')}`);
    }, { timeoutMs: 8000, intervalMs: 50 });
    measured.natsRouteHealedMs = Date.now() - t1;
    expect(await delivered(na!, nb!, 'lab.healed', 5000)).toBe(true);
  });
});

describe('CDN edge and geo front (all DCs healthy)', () => {
  beforeAll(async () => {
    // The geo front's checks need a moment after its start to see every DC up.
    await waitUntil('geo sees every DC', async () => {
      const down = (await backendStates(c('geo'), ctx)).filter((s) => !s.up);
      if (down.length > 0) throw new Error(`down: ${down.map((s) => `${s.backend}/${s.server}`).join(', ')}`);
    }, { timeoutMs: 5000, intervalMs: 50 });
  });

  it('the edge caches media reads: MISS, then HIT, with the DC stamped by the LB and the origin Cache-Control kept', async () => {
    const first = await get(urlOf('dc-a.edge', '/v1/media/m1'));
    expect([first.status, header(first, 'x-cache'), header(first, 'x-served-by-dc')]).toEqual([200, 'MISS', 'dc-a']);
    expect(header(first, 'cache-control')).toBe('public, max-age=600');
    const second = await get(urlOf('dc-a.edge', '/v1/media/m1'));
    expect([second.status, header(second, 'x-cache'), second.body]).toEqual([200, 'HIT', first.body]);
    const write = await send('POST', urlOf('dc-a.edge', '/v1/media/m1'));
    expect([write.status, write.headers['x-cache'], write.body]).toEqual([200, undefined, expect.stringMatching(/^\/v1\/media\/m1 from dc-a\.gateway-\d #\d+$/)]);
    expect(write.body).not.toBe(first.body);
    const other = await get(urlOf('dc-a.edge', '/v1/other'));
    expect([other.status, header(other, 'x-cache')]).toEqual([200, undefined]);
    const log = readFileSync(join(ctx.paths.logsDir, 'dc-a.edge.access.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((e: { cache: string }) => e.cache)).toEqual(expect.arrayContaining(['MISS', 'HIT']));
  });

  it('the geo front routes by X-Client-Region (default: the first DC) and sends media reads through the edge', async () => {
    const served = async (headers: Record<string, string>, path = '/whoami') => {
      const r = await get(urlOf('geo', path), headers);
      expect(r.status).toBe(200);
      return { dc: header(r, 'x-served-by-dc'), cache: header(r, 'x-cache') };
    };
    expect(await served({ 'x-client-region': 'us' })).toEqual({ dc: 'dc-b', cache: undefined });
    expect(await served({ 'x-client-region': 'eu' })).toEqual({ dc: 'dc-a', cache: undefined });
    expect(await served({ 'x-client-region': 'US' })).toEqual({ dc: 'dc-b', cache: undefined });
    expect(await served({})).toEqual({ dc: 'dc-a', cache: undefined });
    expect(await served({ 'x-client-region': 'mars' })).toEqual({ dc: 'dc-a', cache: undefined });
    expect(await served({ 'x-client-region': 'us' }, '/v1/media/g1')).toEqual({ dc: 'dc-b', cache: 'MISS' });
    expect(await served({ 'x-client-region': 'us' }, '/v1/media/g1')).toEqual({ dc: 'dc-b', cache: 'HIT' });
    expect(await served({ 'x-client-region': 'eu' }, '/v1/media/g1')).toEqual({ dc: 'dc-a', cache: 'MISS' });
    // the client region reaches the gateway
    expect(JSON.parse((await get(urlOf('geo', '/whoami'), {})).body).region).toBe('eu');
  });
});

describe('failover', () => {
  it('the LB balances over both gateways and, after one dies, sends every request to the other, leaving it out within 2 s', async () => {
    const lb = 'dc-a.lb';
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await get(urlOf(lb, '/whoami'));
      expect([r.status, header(r, 'x-served-by-dc')]).toEqual([200, 'dc-a']);
      seen.add(JSON.parse(r.body).gateway);
    }
    expect([...seen].sort()).toEqual(['dc-a.gateway-1', 'dc-a.gateway-2']);
    expect((await loadBalancerRunner.check(c(lb), ctx)).detail).toBe('2/2 gateways up');
    const metrics = await get(`http://${c(lb).host}:${c(lb).ports.stats}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^haproxy_server_status\{proxy="gateways",server="dc-a\.gateway-1",state="UP"\} 1$/m);

    const t0 = Date.now();
    await gateways.get('dc-a.gateway-1')!.kill();
    let outAfterMs: number | undefined;
    let requests = 0;
    while (Date.now() - t0 < 3000 && (outAfterMs === undefined || Date.now() - t0 < outAfterMs + 300)) {
      const r = await get(urlOf(lb, '/whoami'));
      requests++;
      expect([r.status, JSON.parse(r.body).gateway]).toEqual([200, 'dc-a.gateway-2']);
      if (outAfterMs === undefined) {
        const gw1 = (await backendStates(c(lb), ctx)).find((s) => s.server === 'dc-a.gateway-1')!;
        if (gw1.state === 'DOWN') outAfterMs = Date.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    measured.lbGatewayOutMs = outAfterMs ?? 'never';
    measured.lbRequestsDuringFailover = requests;
    expect(outAfterMs).toBeLessThan(2000);
    expect((await loadBalancerRunner.check(c(lb), ctx)).detail).toBe('1/2 gateways up (down: dc-a.gateway-1)');
    const lbHealth = await get(urlOf(lb, '/lb-health'));
    expect(lbHealth.status).toBe(200);
  });

  it('the geo front moves region us to dc-a when dc-b\'s LB has no gateway left', async () => {
    const t0 = Date.now();
    await Promise.all(['dc-b.gateway-1', 'dc-b.gateway-2'].map((id) => gateways.get(id)!.kill()));
    await waitUntil('dc-b.lb reports no gateway', async () => {
      const r = await get(urlOf('dc-b.lb', '/lb-health'));
      if (r.status !== 503) throw new Error(`/lb-health answered ${r.status}`);
    }, { timeoutMs: 3000, intervalMs: 25 });
    const served = await waitUntil('us served by dc-a', async () => {
      const r = await get(urlOf('geo', '/whoami'), { 'x-client-region': 'us' });
      if (r.status !== 200 || header(r, 'x-served-by-dc') !== 'dc-a') throw new Error(`${r.status} from ${header(r, 'x-served-by-dc')}`);
      return JSON.parse(r.body) as { gateway: string; region: string };
    }, { timeoutMs: 5000, intervalMs: 25 });
    measured.geoFailoverMs = Date.now() - t0;
    expect(served).toEqual({ gateway: 'dc-a.gateway-2', region: 'us' });
    const geoStates = await backendStates(c('geo'), ctx);
    expect(geoStates.find((s) => s.backend === 'dc-b.lb' && s.server === 'dc-b.lb')!.state).toBe('DOWN');
    // media reads of region us leave dc-b too (its edge counts as down without its LB)
    await waitUntil('us media via dc-a', async () => {
      const r = await get(urlOf('geo', '/v1/media/g2'), { 'x-client-region': 'us' });
      if (r.status !== 200 || header(r, 'x-served-by-dc') !== 'dc-a') throw new Error(`${r.status} from ${header(r, 'x-served-by-dc')}`);
    }, { timeoutMs: 3000, intervalMs: 25 });
    expect(measured.geoFailoverMs).toBeLessThan(4000);
  });

  it('the edge answers STALE while its origin is down, for no longer than the stale window', async () => {
    const url = urlOf('dc-a.edge', '/v1/media/stale-1');
    const miss = await get(url);
    expect(header(miss, 'x-cache')).toBe('MISS');
    expect(header(await get(url), 'x-cache')).toBe('HIT');
    // The origin goes down: dc-a's last gateway dies and its LB answers 503.
    await gateways.get('dc-a.gateway-2')!.kill();
    const t0 = Date.now();
    const seen: string[] = [];
    let staleFrom: number | undefined;
    let errorFrom: number | undefined;
    while (errorFrom === undefined && Date.now() - t0 < (TTL + STALE + 3) * 1000) {
      const r = await get(url);
      const state = `${r.status} ${header(r, 'x-cache')}`;
      if (seen.at(-1) !== state) seen.push(state);
      if (header(r, 'x-cache') === 'STALE') {
        expect(r.body).toBe(miss.body);
        staleFrom ??= Date.now() - t0;
      } else if (r.status >= 500) errorFrom = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
    }
    measured.edgeStaleWindowMs = errorFrom !== undefined && staleFrom !== undefined ? errorFrom - staleFrom : `never ended: ${seen.join(' → ')}`;
    expect(seen).toEqual(['200 HIT', '200 STALE', '502 EXPIRED']);
    expect(errorFrom! - staleFrom!).toBeGreaterThan((STALE - 1) * 1000);
    expect(errorFrom! - staleFrom!).toBeLessThan((STALE + 1.5) * 1000);
  }, (TTL + STALE + 5) * 1000);
});

describe('stopping', () => {
  it('every component stops cleanly on its stop signal', async () => {
    const results = Object.fromEntries(await Promise.all([...processes.keys()].map(async (id) => [id, await stopComponent(id)] as const)));
    expect(Object.values(results).every((r) => r === 'stopped')).toBe(true);
    expect(existsSync(join(ctx.paths.runDir, 'dc-a.edge.origin.sock'))).toBe(false);
  });
});
