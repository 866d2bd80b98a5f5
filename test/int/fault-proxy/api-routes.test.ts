import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { closedPort, startEchoServer, type EchoServer } from './support/echo-server.js';
import { apiAt, type Api } from './support/http.js';
import { addToxic, createProxy, deleteProxies, portOf } from './support/proxies.js';
import { TestClient } from './support/sockets.js';
import { startTargetServer, uniqueName, type TargetServer } from './support/target-server.js';

// Every route and every error of the contract (../shared/toxiproxy-api.md), over raw HTTP.

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
  await deleteProxies(api, prefix);
  await target.close();
  await echo.close();
});

const expectError = (response: { status: number; json: any }, status: number, message: string | RegExp): void => {
  expect(response.status).toBe(status);
  expect(response.json).toEqual({ error: expect.any(String), status });
  if (typeof message === 'string') expect(response.json.error).toBe(message);
  else expect(response.json.error).toMatch(message);
};

const badBody = /^bad request body: ./;

/** Populate's errors also carry the proxies applied so far (`null` when none), as the real server's do. */
const expectPopulateError = (response: { status: number; json: any }, status: number, message: string | RegExp): void => {
  expect(response.status).toBe(status);
  expect(response.json).toMatchObject({ error: expect.stringMatching(message), status });
  expect(response.json.proxies).toBeNull();
};

describe('GET /version', () => {
  it('answers 200 with {"version": "x.y.z"} as JSON', async () => {
    const response = await api.get('/version');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.json).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe('proxies', () => {
  it('lists proxies as an object keyed by name, each with its toxics', async () => {
    if (!target.external) expect((await api.get('/proxies')).json).toEqual({});
    const a = await createProxy(api, uniqueName('b'), echo.address);
    const b = await createProxy(api, uniqueName('a'), echo.address);
    await addToxic(api, b.name, { type: 'latency', attributes: { latency: 5 } });
    const list = await api.get('/proxies');
    expect(list.status).toBe(200);
    expect(list.json[a.name]).toEqual({ name: a.name, listen: a.listen, upstream: echo.address, enabled: true, toxics: [] });
    expect(list.json[b.name].toxics).toEqual([
      { attributes: { latency: 5, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 },
    ]);
  });

  it('creates with 201, binds port 0 to a real port, defaults enabled to true and ignores unknown fields', async () => {
    const name = uniqueName('create');
    const response = await api.post('/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address, extra: 'ignored', toxics: [1] });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ name, listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/), upstream: echo.address, enabled: true, toxics: [] });
    expect(portOf(response.json.listen)).toBeGreaterThan(0);
    const client = await TestClient.open(portOf(response.json.listen));
    await client.roundTrip('ping');
    expect(client.data().toString()).toBe('ping');
    client.destroy();
  });

  it('reports localhost:N as 127.0.0.1:N', async () => {
    const port = await closedPort();
    const response = await api.post('/proxies', { name: uniqueName('localhost'), listen: `localhost:${port}`, upstream: echo.address });
    expect(response.status).toBe(201);
    expect(response.json.listen).toBe(`127.0.0.1:${port}`);
  });

  it('creates a disabled proxy without binding when enabled is false', async () => {
    const name = uniqueName('disabled');
    const response = await api.post('/proxies', { name, listen: '127.0.0.1:0', upstream: echo.address, enabled: false });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name, listen: '127.0.0.1:0', enabled: false });
  });

  it('shows one proxy with GET /proxies/{p}', async () => {
    const proxy = await createProxy(api, uniqueName('show'), echo.address);
    const response = await api.get(`/proxies/${proxy.name}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ name: proxy.name, listen: proxy.listen, upstream: echo.address, enabled: true, toxics: [] });
  });

  it.each(['POST', 'PATCH'])('updates with %s: absent fields keep their values, name is ignored', async (method) => {
    const proxy = await createProxy(api, uniqueName('update'), echo.address);
    const response = await api.send(method, `/proxies/${proxy.name}`, { name: 'renamed', enabled: false });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ name: proxy.name, listen: proxy.listen, upstream: echo.address, enabled: false, toxics: [] });
    const again = await api.send(method, `/proxies/${proxy.name}`, {});
    expect(again.json).toMatchObject({ listen: proxy.listen, upstream: echo.address, enabled: false });
  });

  it('restarts on a changed upstream: open connections drop, toxics stay', async () => {
    const proxy = await createProxy(api, uniqueName('restart'), echo.address);
    await addToxic(api, proxy.name, { type: 'noop' });
    const client = await TestClient.open(proxy.port);
    await client.roundTrip('x');
    const response = await api.patch(`/proxies/${proxy.name}`, { upstream: `localhost:${echo.port}` });
    expect(response.status).toBe(200);
    expect(response.json.enabled).toBe(true);
    expect(response.json.listen).toBe(proxy.listen);
    expect(response.json.toxics).toHaveLength(1);
    await client.waitForOutcome();
    const fresh = await TestClient.open(proxy.port);
    await fresh.roundTrip('y');
    fresh.destroy();
  });

  it('deletes with 204, closing its connections; then it is gone', async () => {
    const proxy = await createProxy(api, uniqueName('delete'), echo.address);
    const client = await TestClient.open(proxy.port);
    await client.roundTrip('x');
    const response = await api.delete(`/proxies/${proxy.name}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    await client.waitForOutcome();
    expectError(await api.get(`/proxies/${proxy.name}`), 404, 'proxy not found');
  });
});

describe('toxics', () => {
  it('creates with 200 and the defaults: downstream, toxicity 1, name <type>_<stream>, missing attributes 0', async () => {
    const proxy = await createProxy(api, uniqueName('tx'), echo.address);
    const response = await api.post(`/proxies/${proxy.name}/toxics`, { type: 'slicer', attributes: { average_size: 10, unknown: 3 } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      attributes: { average_size: 10, size_variation: 0, delay: 0 },
      name: 'slicer_downstream',
      type: 'slicer',
      stream: 'downstream',
      toxicity: 1,
    });
  });

  it('gives every type its attributes', async () => {
    const proxy = await createProxy(api, uniqueName('types'), echo.address);
    const expected: Record<string, Record<string, number>> = {
      latency: { latency: 0, jitter: 0 },
      bandwidth: { rate: 0 },
      slow_close: { delay: 0 },
      timeout: { timeout: 0 },
      reset_peer: { timeout: 0 },
      slicer: { average_size: 0, size_variation: 0, delay: 0 },
      limit_data: { bytes: 0 },
      noop: {},
    };
    for (const [type, attributes] of Object.entries(expected)) {
      const toxic = await addToxic(api, proxy.name, { type, stream: 'upstream', toxicity: 0 });
      expect(toxic).toEqual({ attributes, name: `${type}_upstream`, type, stream: 'upstream', toxicity: 0 });
    }
  });

  it('lists upstream toxics first, each direction in creation order', async () => {
    const proxy = await createProxy(api, uniqueName('order'), echo.address);
    await addToxic(api, proxy.name, { name: 'd1', type: 'noop', stream: 'downstream' });
    await addToxic(api, proxy.name, { name: 'u1', type: 'noop', stream: 'upstream' });
    await addToxic(api, proxy.name, { name: 'd2', type: 'noop' });
    await addToxic(api, proxy.name, { name: 'u2', type: 'noop', stream: 'upstream' });
    const response = await api.get(`/proxies/${proxy.name}/toxics`);
    expect(response.status).toBe(200);
    expect(response.json.map((t: { name: string }) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    expect((await api.get(`/proxies/${proxy.name}`)).json.toxics.map((t: { name: string }) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
  });

  it('shows one toxic', async () => {
    const proxy = await createProxy(api, uniqueName('showtx'), echo.address);
    const created = await addToxic(api, proxy.name, { name: 'slow', type: 'latency', attributes: { latency: 7, jitter: 1 }, toxicity: 0.5 });
    const response = await api.get(`/proxies/${proxy.name}/toxics/slow`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual(created);
    expect(response.json.toxicity).toBe(0.5);
  });

  it.each(['POST', 'PATCH'])('updates with %s: attributes merge key by key, toxicity changes, nothing else does', async (method) => {
    const proxy = await createProxy(api, uniqueName('updtx'), echo.address);
    await addToxic(api, proxy.name, { name: 'lat', type: 'latency', attributes: { latency: 100, jitter: 10 } });
    const response = await api.send(method, `/proxies/${proxy.name}/toxics/lat`, {
      name: 'other',
      type: 'bandwidth',
      stream: 'upstream',
      toxicity: 0.25,
      attributes: { jitter: 20 },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ attributes: { latency: 100, jitter: 20 }, name: 'lat', type: 'latency', stream: 'downstream', toxicity: 0.25 });
    expect((await api.get(`/proxies/${proxy.name}/toxics/lat`)).json).toEqual(response.json);
  });

  it('deletes with 204', async () => {
    const proxy = await createProxy(api, uniqueName('deltx'), echo.address);
    await addToxic(api, proxy.name, { name: 'n', type: 'noop' });
    const response = await api.delete(`/proxies/${proxy.name}/toxics/n`);
    expect(response.status).toBe(204);
    expect((await api.get(`/proxies/${proxy.name}/toxics`)).json).toEqual([]);
    expectError(await api.get(`/proxies/${proxy.name}/toxics/n`), 404, 'toxic not found');
  });

  it('keeps a name unique across both directions', async () => {
    const proxy = await createProxy(api, uniqueName('uniq'), echo.address);
    await addToxic(api, proxy.name, { name: 'same', type: 'noop', stream: 'upstream' });
    expectError(await api.post(`/proxies/${proxy.name}/toxics`, { name: 'same', type: 'noop', stream: 'downstream' }), 409, 'toxic already exists');
  });
});

describe('POST /reset', () => {
  it('answers 204, re-enables every proxy and removes every toxic', async () => {
    const a = await createProxy(api, uniqueName('reset-a'), echo.address);
    const b = await createProxy(api, uniqueName('reset-b'), echo.address);
    await addToxic(api, a.name, { type: 'latency', attributes: { latency: 1000 } });
    await addToxic(api, b.name, { type: 'noop', stream: 'upstream' });
    await api.post(`/proxies/${b.name}`, { enabled: false });
    const response = await api.post('/reset');
    expect(response.status).toBe(204);
    expect((await api.get(`/proxies/${a.name}`)).json).toMatchObject({ enabled: true, toxics: [] });
    expect((await api.get(`/proxies/${b.name}`)).json).toMatchObject({ enabled: true, toxics: [], listen: b.listen });
    const client = await TestClient.open(b.port);
    await client.roundTrip('back');
    client.destroy();
  });
});

describe('POST /populate', () => {
  it('answers 201 with {"proxies": [...]} in input order', async () => {
    const names = [uniqueName('pop-z'), uniqueName('pop-a')];
    const response = await api.post(
      '/populate',
      names.map((name) => ({ name, listen: '127.0.0.1:0', upstream: echo.address })),
    );
    expect(response.status).toBe(201);
    expect(response.json.proxies.map((p: { name: string }) => p.name)).toEqual(names);
    expect(response.json.proxies[0]).toMatchObject({ enabled: true, upstream: echo.address, toxics: [] });
    expect(response.json.proxies[0].listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  });

  it('leaves an existing proxy with the same listen and upstream untouched, toxics kept', async () => {
    const proxy = await createProxy(api, uniqueName('pop-keep'), echo.address);
    await addToxic(api, proxy.name, { name: 'kept', type: 'noop' });
    const client = await TestClient.open(proxy.port);
    await client.roundTrip('a');
    const response = await api.post('/populate', [{ name: proxy.name, listen: proxy.listen, upstream: echo.address }]);
    expect(response.status).toBe(201);
    const shown = (await api.get(`/proxies/${proxy.name}`)).json;
    expect(shown.toxics.map((t: { name: string }) => t.name)).toEqual(['kept']);
    await client.roundTrip('still open');
    client.destroy();
  });

  it('replaces a proxy whose listen or upstream differs (toxics gone, connections dropped)', async () => {
    const proxy = await createProxy(api, uniqueName('pop-replace'), echo.address);
    await addToxic(api, proxy.name, { name: 'dropped', type: 'noop' });
    const client = await TestClient.open(proxy.port);
    await client.roundTrip('a');
    const response = await api.post('/populate', [{ name: proxy.name, listen: proxy.listen, upstream: `localhost:${echo.port}` }]);
    expect(response.status).toBe(201);
    expect(response.json.proxies[0]).toMatchObject({ name: proxy.name, upstream: `localhost:${echo.port}`, toxics: [] });
    await client.waitForOutcome();
  });

  it('checks name and upstream of every entry before creating anything', async () => {
    const first = uniqueName('pop-first');
    const response = await api.post('/populate', [
      { name: first, listen: '127.0.0.1:0', upstream: echo.address },
      { name: uniqueName('pop-second'), listen: '127.0.0.1:0' },
    ]);
    expectPopulateError(response, 400, /^missing required field: upstream at proxy 2$/);
    expectError(await api.get(`/proxies/${first}`), 404, 'proxy not found');
    expectPopulateError(await api.post('/populate', [{ upstream: echo.address }]), 400, /^missing required field: name at proxy 1$/);
  });

  it('stops at the first failure; earlier proxies stay', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = `127.0.0.1:${(blocker.address() as { port: number }).port}`;
    const [ok, failing, never] = [uniqueName('pop-ok'), uniqueName('pop-busy'), uniqueName('pop-never')];
    try {
      const response = await api.post('/populate', [
        { name: ok, listen: '127.0.0.1:0', upstream: echo.address },
        { name: failing, listen: busy, upstream: echo.address },
        { name: never, listen: '127.0.0.1:0', upstream: echo.address },
      ]);
      expect(response.status).toBe(500);
      expect(response.json).toMatchObject({ error: expect.stringMatching(/address already in use/), status: 500 });
      expect(response.json.proxies.map((p: { name: string }) => p.name)).toEqual([ok]);
      expect((await api.get(`/proxies/${ok}`)).status).toBe(200);
      expect((await api.get(`/proxies/${never}`)).status).toBe(404);
    } finally {
      blocker.close();
    }
  });

  it('rejects a body that is not an array of proxies', async () => {
    expectPopulateError(await api.post('/populate', { name: 'x' }), 400, badBody);
    expectPopulateError(await api.post('/populate', '[{"name": 5}]'), 400, badBody);
  });
});

describe('routing', () => {
  it.each([['GET', '/nope'], ['GET', '/proxies/x/y'], ['GET', '/proxies/x/toxics/y/z'], ['POST', '/'], ['GET', '/proxies/']])(
    'answers 404 to %s %s',
    async (method, path) => {
      expect((await api.send(method, path)).status).toBe(404);
    },
  );

  it.each([
    ['PUT', '/proxies'],
    ['DELETE', '/proxies'],
    ['GET', '/reset'],
    ['GET', '/populate'],
    ['PUT', '/proxies/x'],
    ['PUT', '/proxies/x/toxics'],
    ['DELETE', '/proxies/x/toxics'],
    ['PUT', '/proxies/x/toxics/y'],
    ['POST', '/version'],
  ])('answers 405 to %s %s', async (method, path) => {
    expect((await api.send(method, path)).status).toBe(405);
  });
});

describe('errors', () => {
  it.each([
    ['invalid JSON', '{"name": '],
    ['not JSON at all', 'hello'],
    ['an empty body', ''],
    ['a wrongly typed field', '{"name": 5, "upstream": "127.0.0.1:1"}'],
    ['a wrongly typed enabled', '{"name": "n", "upstream": "127.0.0.1:1", "enabled": "yes"}'],
    ['an array', '[]'],
  ])('create proxy: 400 bad request body for %s', async (_what, body) => {
    expectError(await api.post('/proxies', body), 400, badBody);
  });

  it('create proxy: 400 missing required field: name, then upstream', async () => {
    expectError(await api.post('/proxies', { upstream: echo.address }), 400, 'missing required field: name');
    expectError(await api.post('/proxies', { name: uniqueName('noupstream') }), 400, 'missing required field: upstream');
    expectError(await api.post('/proxies', { name: '', upstream: '' }), 400, 'missing required field: name');
  });

  it('create proxy: 409 when the name exists, checked before binding', async () => {
    const proxy = await createProxy(api, uniqueName('dup'), echo.address);
    // Same listen as the existing proxy: binding would fail with 500, but the name clash answers first.
    expectError(await api.post('/proxies', { name: proxy.name, listen: proxy.listen, upstream: echo.address }), 409, 'proxy already exists');
  });

  it('create proxy: 500 with the bind error text when the address is in use', async () => {
    const proxy = await createProxy(api, uniqueName('bound'), echo.address);
    const response = await api.post('/proxies', { name: uniqueName('clash'), listen: proxy.listen, upstream: echo.address });
    expectError(response, 500, /address already in use/);
  });

  it('enabling a proxy whose address is taken answers 500 and leaves it disabled', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = `127.0.0.1:${(blocker.address() as { port: number }).port}`;
    try {
      const name = uniqueName('enable-busy');
      await api.post('/proxies', { name, listen: busy, upstream: echo.address, enabled: false });
      expectError(await api.post(`/proxies/${name}`, { enabled: true }), 500, /address already in use/);
      expect((await api.get(`/proxies/${name}`)).json.enabled).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it.each([
    ['GET', ''],
    ['POST', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['GET', '/toxics'],
    ['POST', '/toxics'],
    ['GET', '/toxics/t'],
    ['POST', '/toxics/t'],
    ['PATCH', '/toxics/t'],
    ['DELETE', '/toxics/t'],
  ])('404 proxy not found for %s /proxies/{p}%s', async (method, rest) => {
    expectError(await api.send(method, `/proxies/${uniqueName('missing')}${rest}`, '{"type":"noop"}'), 404, 'proxy not found');
  });

  it('update proxy: 400 bad request body for invalid JSON, an empty body or a wrong type', async () => {
    const proxy = await createProxy(api, uniqueName('badupd'), echo.address);
    expectError(await api.post(`/proxies/${proxy.name}`, '{'), 400, badBody);
    expectError(await api.post(`/proxies/${proxy.name}`, ''), 400, badBody);
    expectError(await api.patch(`/proxies/${proxy.name}`, { enabled: 'no' }), 400, badBody);
  });

  it('toxic create: 400 for an invalid stream, a missing or unknown type; 404 toxic not found', async () => {
    const proxy = await createProxy(api, uniqueName('txerr'), echo.address);
    const toxics = `/proxies/${proxy.name}/toxics`;
    expectError(await api.post(toxics, { type: 'latency', stream: 'sideways' }), 400, 'stream was invalid, can be either upstream or downstream');
    expectError(await api.post(toxics, { type: 'latency', stream: '' }), 400, 'stream was invalid, can be either upstream or downstream');
    expectError(await api.post(toxics, { attributes: {} }), 400, 'invalid toxic type');
    expectError(await api.post(toxics, { type: 'packet_party' }), 400, 'invalid toxic type');
    expectError(await api.get(`${toxics}/nothing`), 404, 'toxic not found');
    expectError(await api.post(`${toxics}/nothing`, { toxicity: 1 }), 404, 'toxic not found');
    expectError(await api.delete(`${toxics}/nothing`), 404, 'toxic not found');
  });

  it.each([
    ['invalid JSON', '{"type":'],
    ['an empty body', ''],
    ['a string toxicity', '{"type": "latency", "toxicity": "1"}'],
    ['a numeric name', '{"type": "latency", "name": 1}'],
    ['attributes that are not an object', '{"type": "latency", "attributes": 5}'],
    ['a fractional integer attribute', '{"type": "latency", "attributes": {"latency": 1.5}}'],
    ['an exponent in an integer attribute', '{"type": "latency", "attributes": {"latency": 1e3}}'],
    ['a string attribute', '{"type": "bandwidth", "attributes": {"rate": "10"}}'],
  ])('toxic create: 400 bad request body for %s', async (_what, body) => {
    const proxy = await createProxy(api, uniqueName('txbody'), echo.address);
    expectError(await api.post(`/proxies/${proxy.name}/toxics`, body), 400, badBody);
    expect((await api.get(`/proxies/${proxy.name}/toxics`)).json).toEqual([]);
  });

  it('toxic create: negative integers are integers (accepted)', async () => {
    const proxy = await createProxy(api, uniqueName('neg'), echo.address);
    const toxic = await addToxic(api, proxy.name, { type: 'bandwidth', attributes: { rate: -5 } });
    expect(toxic.attributes).toEqual({ rate: -5 });
  });

  it.each([
    ['invalid JSON', '{'],
    ['a fractional attribute', '{"attributes": {"latency": 2.5}}'],
    ['a string toxicity', '{"toxicity": "0.5"}'],
    ['attributes that are not an object', '{"attributes": [1]}'],
  ])('toxic update: 400 bad request body for %s, nothing changed', async (_what, body) => {
    const proxy = await createProxy(api, uniqueName('updbody'), echo.address);
    const created = await addToxic(api, proxy.name, { name: 'l', type: 'latency', attributes: { latency: 3 } });
    expectError(await api.patch(`/proxies/${proxy.name}/toxics/l`, body), 400, badBody);
    expect((await api.get(`/proxies/${proxy.name}/toxics/l`)).json).toEqual(created);
  });

  describe('order of checks on toxic create: proxy 404 → body 400 → stream 400 → default name → type 400 → 409 → attributes 400', () => {
    let toxics: string;

    beforeEach(async () => {
      const proxy = await createProxy(api, uniqueName('order'), echo.address);
      toxics = `/proxies/${proxy.name}/toxics`;
      await addToxic(api, proxy.name, { type: 'latency' }); // named latency_downstream
    });

    it('unknown proxy before a bad body', async () => {
      expectError(await api.post(`/proxies/${uniqueName('none')}/toxics`, '{'), 404, 'proxy not found');
    });

    it('bad body before a bad stream', async () => {
      expectError(await api.post(toxics, '{"stream": "sideways", "toxicity": "x"}'), 400, badBody);
    });

    it('bad stream before a bad type', async () => {
      expectError(await api.post(toxics, { stream: 'sideways', type: 'nope' }), 400, 'stream was invalid, can be either upstream or downstream');
    });

    it('bad type before a name clash', async () => {
      expectError(await api.post(toxics, { name: 'latency_downstream', type: 'nope' }), 400, 'invalid toxic type');
    });

    it('the default name is given before the clash check', async () => {
      expectError(await api.post(toxics, { type: 'latency' }), 409, 'toxic already exists');
    });

    it('name clash before bad attributes', async () => {
      expectError(await api.post(toxics, { type: 'latency', attributes: { latency: 1.5 } }), 409, 'toxic already exists');
    });

    it('bad attributes last', async () => {
      expectError(await api.post(toxics, { type: 'latency', name: 'fresh', attributes: { latency: 1.5 } }), 400, badBody);
    });
  });
});
