import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { startEchoServer, type EchoServer } from './support/echo-server.js';
import { apiAt, type Api } from './support/http.js';
import { addToxic, createProxy, deleteProxies } from './support/proxies.js';
import { TestClient } from './support/sockets.js';
import { externalUrl, startTargetServer, uniqueName, type TargetServer } from './support/target-server.js';

// faultline's additions and deliberate divergences. Against another server (TOXIPROXY_URL) the
// whole file is skipped, except the browser rule, which the real server has too.

const describeFaultline = externalUrl ? describe.skip : describe;

let target: TargetServer;
let api: Api;
let echo: EchoServer;
const prefix = `ft-${process.pid}-`;

beforeAll(async () => {
  target = await startTargetServer();
  api = apiAt(target.url);
  echo = await startEchoServer();
});

afterEach(() => deleteProxies(api, prefix));

afterAll(async () => {
  await target.close();
  await echo.close();
});

describe('browsers', () => {
  it('answers 403 to a User-Agent starting with Mozilla/ on every route', async () => {
    const browser = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' };
    const get = await api.get('/proxies', browser);
    expect(get.status).toBe(403);
    expect((await api.post('/proxies', { name: uniqueName('browser'), upstream: echo.address }, browser)).status).toBe(403);
    expect((await api.post('/reset', undefined, browser)).status).toBe(403);
    expect((await api.get('/proxies')).status).toBe(200);
  });
});

describeFaultline('GET /events', () => {
  it('records every change with a millisecond timestamp, and `since` returns only newer ones', async () => {
    const start = (await api.get('/events')).json;
    const before = Date.now();
    const proxy = await createProxy(api, uniqueName('events'), echo.address);
    await addToxic(api, proxy.name, { name: 'lag', type: 'latency', attributes: { latency: 10 } });
    await api.patch(`/proxies/${proxy.name}/toxics/lag`, { attributes: { latency: 20 } });
    await api.delete(`/proxies/${proxy.name}/toxics/lag`);
    await api.post(`/proxies/${proxy.name}`, { enabled: false });
    await api.post(`/proxies/${proxy.name}`, { enabled: true });
    await api.patch(`/proxies/${proxy.name}`, { upstream: `localhost:${echo.port}` });
    await api.delete(`/proxies/${proxy.name}`);
    const after = Date.now();

    const page = await api.get(`/events?since=${start.cursor}`);
    expect(page.status).toBe(200);
    const events = page.json.events.filter((e: { proxy: string }) => e.proxy === proxy.name);
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'proxy.created',
      'toxic.added',
      'toxic.updated',
      'toxic.removed',
      'proxy.disabled',
      'proxy.enabled',
      'proxy.updated',
      'proxy.deleted',
    ]);
    for (const event of events) {
      expect(event.at).toBeGreaterThanOrEqual(before);
      expect(event.at).toBeLessThanOrEqual(after);
      expect(Number.isInteger(event.at)).toBe(true);
    }
    expect(events[1].toxic).toEqual({ attributes: { latency: 10, jitter: 0 }, name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1 });
    expect(events[2].toxic.attributes.latency).toBe(20);
    expect(events[0]).toMatchObject({ listen: proxy.listen, upstream: echo.address, enabled: true });
    const ids = page.json.events.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(page.json.cursor).toBe(ids.at(-1));

    const nothingNew = await api.get(`/events?since=${page.json.cursor}`);
    expect(nothingNew.json).toMatchObject({ events: [], cursor: page.json.cursor, missed: 0 });
  });

  it('records what /reset and /populate change', async () => {
    const proxy = await createProxy(api, uniqueName('reset-events'), echo.address);
    await addToxic(api, proxy.name, { name: 'n', type: 'noop' });
    await api.post(`/proxies/${proxy.name}`, { enabled: false });
    const { cursor } = (await api.get('/events')).json;
    await api.post('/reset');
    await api.post('/populate', [{ name: proxy.name, listen: '127.0.0.1:0', upstream: echo.address }]);
    const types = (await api.get(`/events?since=${cursor}`)).json.events
      .filter((e: { proxy: string }) => e.proxy === proxy.name)
      .map((e: { type: string }) => e.type);
    expect(types).toEqual(['proxy.enabled', 'toxic.removed', 'proxy.disabled', 'proxy.deleted', 'proxy.created']);
  });

  it('pages with limit and rejects a malformed cursor', async () => {
    const { cursor } = (await api.get('/events')).json;
    await createProxy(api, uniqueName('page-a'), echo.address);
    await createProxy(api, uniqueName('page-b'), echo.address);
    const first = (await api.get(`/events?since=${cursor}&limit=1`)).json;
    expect(first.events).toHaveLength(1);
    const second = (await api.get(`/events?since=${first.cursor}&limit=1`)).json;
    expect(second.events[0].id).toBe(first.events[0].id + 1);
    const bad = await api.get('/events?since=-1');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: expect.stringMatching(/since/), status: 400 });
  });
});

describeFaultline('GET /metrics', () => {
  it('gives bytes per proxy and direction, open connections and toxics in Prometheus text', async () => {
    const proxy = await createProxy(api, uniqueName('metrics'), echo.address);
    await addToxic(api, proxy.name, { name: 'n', type: 'noop', stream: 'upstream' });
    const client = await TestClient.open(proxy.port);
    await client.roundTrip('x'.repeat(1000));

    const response = await api.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const sample = (name: string, labels: string): number => {
      const line = response.text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      if (!line) throw new Error(`no ${name} with ${labels} in:\n${response.text}`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const labels = (direction: string) => `direction="${direction}",proxy="${proxy.name}",listener="${proxy.listen}",upstream="${echo.address}"`;
    expect(sample('toxiproxy_proxy_received_bytes_total', labels('upstream'))).toBe(1000);
    expect(sample('toxiproxy_proxy_sent_bytes_total', labels('upstream'))).toBe(1000);
    expect(sample('toxiproxy_proxy_received_bytes_total', labels('downstream'))).toBe(1000);
    expect(sample('toxiproxy_proxy_sent_bytes_total', labels('downstream'))).toBe(1000);
    expect(sample('faultline_proxy_open_connections', `proxy="${proxy.name}"`)).toBe(1);
    expect(sample('faultline_proxy_active_toxics', `proxy="${proxy.name}",direction="upstream"`)).toBe(1);
    expect(sample('faultline_proxy_active_toxics', `proxy="${proxy.name}",direction="downstream"`)).toBe(0);

    client.destroy();
    await client.waitForOutcome();
    // Whether or not the proxy has noticed the close yet, the bytes stay counted.
    const later = await api.get('/metrics');
    const lines = later.text.split('\n');
    expect(lines.find((l) => l.startsWith('toxiproxy_proxy_received_bytes_total{') && l.includes(labels('upstream')))).toMatch(/ 1000$/);
  });
});

describeFaultline('request limits and names', () => {
  it('answers 413 to a body over 1 MiB', async () => {
    const body = JSON.stringify({ name: uniqueName('big'), upstream: echo.address, padding: 'x'.repeat(1024 * 1024) });
    const response = await api.post('/proxies', body);
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ error: expect.stringMatching(/too large/), status: 413 });
  });

  it('answers 413 to a chunked body over 1 MiB without reading it all', async () => {
    let status: number | undefined;
    status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${target.url}/proxies`);
      const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/proxies' }, (res) => {
        res.resume();
        status = res.statusCode ?? 0;
        resolve(status);
      });
      req.on('error', (error) => (status === undefined ? reject(error) : undefined));
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        // Just over the limit, so the whole body fits in the socket buffers before the server hangs up.
        while (sent < 1.5 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const base = JSON.stringify({ name: uniqueName('exact'), upstream: echo.address, listen: '127.0.0.1:0', padding: '' });
    const body = base.replace('"padding":""', `"padding":"${'x'.repeat(1024 * 1024 - base.length)}"`);
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    expect((await api.post('/proxies', body)).status).toBe(201);
  });

  it.each(['a/b', '/lead', '.', '..'])('rejects the unaddressable proxy name %j with 400', async (name) => {
    const response = await api.post('/proxies', { name, upstream: echo.address });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: expect.stringMatching(/^invalid proxy name: /), status: 400 });
    const populate = await api.post('/populate', [{ name, upstream: echo.address }]);
    expect(populate.status).toBe(400);
    expect(populate.json.error).toMatch(/ at proxy 1$/);
  });

  it('addresses names that need percent-encoding', async () => {
    const name = `${prefix}app-1->pg ?#%`;
    const created = await api.post('/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address });
    expect(created.status).toBe(201);
    const shown = await api.get(`/proxies/${encodeURIComponent(name)}`);
    expect(shown.status).toBe(200);
    expect(shown.json.name).toBe(name);
  });
});
