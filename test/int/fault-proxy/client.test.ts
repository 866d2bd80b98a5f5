import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import toxiproxyClient from 'toxiproxy-node-client';
import { FaultProxyClient, FaultProxyRequestError, toxiproxyUrlFromEnv } from '#libs/fault-proxy';
import { startEchoServer, type EchoServer } from './support/echo-server.js';
import { apiAt, type Api } from './support/http.js';
import { deleteProxies } from './support/proxies.js';
import { TestClient } from './support/sockets.js';
import { startTargetServer, uniqueName, type TargetServer } from './support/target-server.js';

// The server driven through toxiproxy-node-client (the client faultline uses everywhere), and
// faultline's own helper on top of it.

const { Toxiproxy, ToxiproxyError } = toxiproxyClient;

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

const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));

describe('toxiproxy-node-client', () => {
  it('drives the whole lifecycle', async () => {
    const toxiproxy = new Toxiproxy(target.url);
    expect(JSON.parse(await toxiproxy.getVersion())).toEqual({ version: expect.any(String) });

    const name = uniqueName('client');
    const proxy = await toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    expect(proxy).toMatchObject({ name, upstream: echo.address, enabled: true });
    expect((await toxiproxy.get(name)).listen).toBe(proxy.listen);
    expect(Object.keys(await toxiproxy.getAll())).toContain(name);

    const toxic = await proxy.addToxic({ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
    expect(toxic.toJson()).toEqual({ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } });
    const client = await TestClient.open(portOf(proxy.listen));
    expect(await client.roundTrip('slow')).toBeGreaterThanOrEqual(290);

    const updated = await (await proxy.getToxic<{ latency: number; jitter: number }>('lag')).update({ ...toxic.toJson(), attributes: { latency: 0, jitter: 0 } });
    expect(updated.attributes.latency).toBe(0);
    expect(await client.roundTrip('fast')).toBeLessThan(250);

    await updated.remove();
    await expect(proxy.getToxic('lag')).rejects.toThrow(ToxiproxyError);

    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    await client.waitForOutcome();

    const populated = await toxiproxy.populate([{ name, listen: proxy.listen, upstream: echo.address }]);
    expect(populated[name]).toMatchObject({ name, upstream: echo.address });

    await toxiproxy.reset();
    expect((await toxiproxy.get(name)).enabled).toBe(true);

    await proxy.remove();
    await expect(toxiproxy.get(name)).rejects.toThrow(/status code 404/);
  });

  it('sees the contract status codes as ToxiproxyErrors', async () => {
    const toxiproxy = new Toxiproxy(target.url);
    const name = uniqueName('dup');
    await toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    await expect(toxiproxy.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address })).rejects.toThrow(/status code 409/);
    const proxy = await toxiproxy.get(name);
    await expect(proxy.addToxic({ name: 'x', type: 'nope' as 'latency', stream: 'downstream', toxicity: 1, attributes: {} })).rejects.toThrow(/status code 400/);
  });
});

describe('FaultProxyClient', () => {
  it('reads FAULTLINE_TOXIPROXY_URL, defaulting to faultline\'s own server', () => {
    expect(toxiproxyUrlFromEnv({})).toBe('http://127.0.0.1:8474');
    expect(toxiproxyUrlFromEnv({ FAULTLINE_TOXIPROXY_URL: 'http://toxiproxy:8474/' })).toBe('http://toxiproxy:8474');
    expect(() => toxiproxyUrlFromEnv({ FAULTLINE_TOXIPROXY_URL: 'toxiproxy:8474' })).toThrow(/FAULTLINE_TOXIPROXY_URL/);
    expect(FaultProxyClient.fromEnv({ FAULTLINE_TOXIPROXY_URL: target.url }).url).toBe(target.url);
  });

  it('populates, injects and clears faults', async () => {
    const faults = FaultProxyClient.fromEnv({ FAULTLINE_TOXIPROXY_URL: target.url });
    expect(await faults.version()).toMatch(/^\d+\.\d+\.\d+/);
    const name = uniqueName('helper');
    const [proxy] = await faults.populate([{ name, listen: '127.0.0.1:0', upstream: echo.address }]);
    expect(proxy!.name).toBe(name);
    const client = await TestClient.open(portOf(proxy!.listen));

    await faults.addToxic(name, { type: 'latency', attributes: { latency: 300, jitter: 0 } });
    expect(await client.roundTrip('a')).toBeGreaterThanOrEqual(290);
    const changed = await faults.updateToxic(name, 'latency_downstream', { attributes: { latency: 0 } });
    expect(changed.attributes).toEqual({ latency: 0, jitter: 0 });
    expect(await client.roundTrip('b')).toBeLessThan(250);
    await faults.removeToxic(name, 'latency_downstream');

    expect((await faults.setEnabled(name, false)).enabled).toBe(false);
    await client.waitForOutcome();
    expect((await faults.setEnabled(name, true)).enabled).toBe(true);

    expect(await faults.proxy(uniqueName('absent'))).toBeUndefined();
    expect(await faults.deleteProxy(name)).toBe(true);
    expect(await faults.deleteProxy(name)).toBe(false);
  });

  it('reports failures as FaultProxyRequestError with the status', async () => {
    const faults = new FaultProxyClient(target.url);
    const error = await faults.addToxic(uniqueName('missing'), { type: 'noop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaultProxyRequestError);
    expect((error as FaultProxyRequestError).status).toBe(404);
  });

  it('reads events incrementally where the server has them', async () => {
    const faults = new FaultProxyClient(target.url);
    const events = faults.events();
    const first = await events.read();
    if (!first.supported) {
      // Only another server (a real Toxiproxy) may lack /events.
      expect(target.external).toBe(true);
      expect(first).toEqual({ supported: false });
      return;
    }
    const name = uniqueName('events');
    await faults.createProxy({ name, listen: '127.0.0.1:0', upstream: echo.address });
    await faults.addToxic(name, { type: 'noop' });
    const next = await events.read();
    expect(next.supported && next.events.filter((e) => e.proxy === name).map((e) => e.type)).toEqual(['proxy.created', 'toxic.added']);
    const empty = await events.read();
    expect(empty).toEqual({ supported: true, events: [], missed: 0 });
  });

  describe('against a server without /events (a real Toxiproxy answers 404 there)', () => {
    let plain: Server;
    let url: string;

    beforeAll(async () => {
      plain = createServer((request, response) => {
        response.statusCode = 404;
        response.end('404 page not found\n');
      });
      await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(plain.address() as { port: number }).port}`;
    });

    afterAll(() => new Promise<void>((resolve) => plain.close(() => resolve())));

    it('answers { supported: false } instead of throwing', async () => {
      expect(await new FaultProxyClient(url).events().read()).toEqual({ supported: false });
    });

    it('still throws when the server cannot be reached at all', async () => {
      const unreachable = new FaultProxyClient('http://127.0.0.1:1');
      await expect(unreachable.events().read()).rejects.toBeInstanceOf(FaultProxyRequestError);
    });
  });
});
