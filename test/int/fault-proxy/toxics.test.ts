import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startEchoServer, type EchoServer } from './support/echo-server.js';
import { apiAt, type Api } from './support/http.js';
import { addToxic, createProxy, deleteProxies } from './support/proxies.js';
import { since, TestClient } from './support/sockets.js';
import { startTargetServer, uniqueName, type TargetServer } from './support/target-server.js';

// Every toxic's behaviour over real sockets, with timing tolerances wide enough for a busy machine
// and tight enough to tell a toxic that works from one that does not.

jest.setTimeout(15_000);

let target: TargetServer;
let api: Api;
let echo: EchoServer;
const prefix = `ft-${process.pid}-`;
const clients: TestClient[] = [];

beforeAll(async () => {
  target = await startTargetServer();
  api = apiAt(target.url);
  echo = await startEchoServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await deleteProxies(api, prefix);
});

afterAll(async () => {
  await target.close();
  await echo.close();
});

/** A proxy to the echo server with these toxics, and a client connected through it. */
async function connectThrough(toxics: Array<Record<string, unknown>>): Promise<{ name: string; client: TestClient }> {
  const proxy = await createProxy(api, uniqueName('toxic'), echo.address);
  for (const toxic of toxics) await addToxic(api, proxy.name, toxic);
  const client = await TestClient.open(proxy.port);
  clients.push(client);
  return { name: proxy.name, client };
}

describe('latency', () => {
  it('delays each chunk by latency ms (downstream)', async () => {
    const { client } = await connectThrough([{ type: 'latency', attributes: { latency: 100 } }]);
    const rtt = await client.roundTrip('ping');
    expect(rtt).toBeGreaterThanOrEqual(95);
    expect(rtt).toBeLessThan(400);
    expect(client.data().toString()).toBe('ping');
  });

  it('adds up across directions and across toxics in one direction', async () => {
    const { client } = await connectThrough([
      { name: 'up', type: 'latency', stream: 'upstream', attributes: { latency: 50 } },
      { name: 'down1', type: 'latency', attributes: { latency: 40 } },
      { name: 'down2', type: 'latency', attributes: { latency: 40 } },
    ]);
    const rtt = await client.roundTrip('ping');
    expect(rtt).toBeGreaterThanOrEqual(125);
    expect(rtt).toBeLessThan(450);
  });

  it('varies by ± jitter', async () => {
    const { client } = await connectThrough([{ type: 'latency', attributes: { latency: 100, jitter: 50 } }]);
    const rtts: number[] = [];
    for (let i = 0; i < 6; i++) rtts.push(await client.roundTrip(`p${i}`));
    for (const rtt of rtts) {
      expect(rtt).toBeGreaterThanOrEqual(45);
      expect(rtt).toBeLessThan(400);
    }
    // Six uniform draws over 100 ms all within 5 ms of each other: about 1 in 500,000.
    expect(Math.max(...rtts) - Math.min(...rtts)).toBeGreaterThan(5);
  });

  it('keeps the order of chunks', async () => {
    const { client } = await connectThrough([{ type: 'latency', attributes: { latency: 30, jitter: 29 } }]);
    const message = Array.from({ length: 50 }, (_, i) => `<${i}>`);
    for (const part of message) {
      client.send(part);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const received = await client.waitForBytes(message.join('').length);
    expect(received.toString()).toBe(message.join(''));
  });
});

describe('bandwidth', () => {
  it('paces 20,000 B at rate 10 (KB/s) over about 2.0 s', async () => {
    const { client } = await connectThrough([{ type: 'bandwidth', attributes: { rate: 10 } }]);
    const start = performance.now();
    client.send(Buffer.alloc(20_000, 7));
    const halfway = await client.waitForBytes(10_000, 5000).then(() => since(start));
    await client.waitForBytes(20_000, 5000);
    const total = since(start);
    expect(total).toBeGreaterThanOrEqual(1900);
    expect(total).toBeLessThan(2800);
    // Paced along the way, not held and released at the end.
    expect(halfway).toBeGreaterThan(800);
    expect(halfway).toBeLessThan(1400);
  });

  it('passes nothing at rate 0, and lets the data go when the toxic is removed', async () => {
    const { name, client } = await connectThrough([{ name: 'choke', type: 'bandwidth', attributes: { rate: 0 } }]);
    client.send('held back');
    await expect(client.waitForBytes(1, 300)).rejects.toThrow(/timed out/);
    await api.delete(`/proxies/${name}/toxics/choke`);
    expect((await client.waitForBytes(9)).toString()).toBe('held back');
  });
});

describe('slow_close', () => {
  it('passes the close on after delay ms', async () => {
    const { client } = await connectThrough([{ type: 'slow_close', attributes: { delay: 300 } }]);
    await client.roundTrip('x');
    const start = performance.now();
    client.socket.end();
    const outcome = await client.waitForOutcome();
    expect(outcome.how).toBe('end');
    expect(outcome.at - start).toBeGreaterThanOrEqual(290);
    expect(outcome.at - start).toBeLessThan(800);
  });

  it('passes data through at once', async () => {
    const { client } = await connectThrough([{ type: 'slow_close', attributes: { delay: 5000 } }]);
    expect(await client.roundTrip('quick')).toBeLessThan(1000);
  });
});

describe('timeout', () => {
  it('drops the data and closes the connection timeout ms after it started', async () => {
    const { client } = await connectThrough([{ type: 'timeout', attributes: { timeout: 200 } }]);
    const start = performance.now();
    client.send('lost');
    const outcome = await client.waitForOutcome();
    expect(outcome.at - start).toBeGreaterThanOrEqual(180);
    expect(outcome.at - start).toBeLessThan(700);
    expect(client.length).toBe(0);
  });

  it('with 0 never closes; removing it closes the connections it held', async () => {
    const { name, client } = await connectThrough([{ name: 'hang', type: 'timeout', attributes: { timeout: 0 } }]);
    client.send('lost');
    await expect(client.waitForOutcome(300)).rejects.toThrow(/timed out/);
    expect(client.length).toBe(0);
    await api.delete(`/proxies/${name}/toxics/hang`);
    await client.waitForOutcome();
    expect(client.length).toBe(0);
  });

  it('added to an open connection starts its clock then', async () => {
    const { name, client } = await connectThrough([]);
    await client.roundTrip('before');
    await addToxic(api, name, { type: 'timeout', attributes: { timeout: 150 } });
    const start = performance.now();
    const outcome = await client.waitForOutcome();
    expect(outcome.at - start).toBeGreaterThanOrEqual(130);
    expect(outcome.at - start).toBeLessThan(600);
  });
});

describe('reset_peer', () => {
  it('resets the connection (ECONNRESET) timeout ms after the first data', async () => {
    const { client } = await connectThrough([{ type: 'reset_peer', attributes: { timeout: 150 } }]);
    const start = performance.now();
    client.send('trigger');
    const outcome = await client.waitForOutcome();
    expect(outcome.how).toBe('reset');
    expect(outcome.at - start).toBeGreaterThanOrEqual(130);
    expect(outcome.at - start).toBeLessThan(700);
  });

  it('upstream with timeout 0 resets on the first data at once', async () => {
    const { client } = await connectThrough([{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }]);
    client.send('trigger');
    const outcome = await client.waitForOutcome();
    expect(outcome.how).toBe('reset');
    expect(client.length).toBe(0);
  });

  it('added to an open connection closes it normally instead', async () => {
    const { name, client } = await connectThrough([]);
    await client.roundTrip('before');
    await addToxic(api, name, { type: 'reset_peer', stream: 'upstream', attributes: { timeout: 50 } });
    client.send('trigger');
    const outcome = await client.waitForOutcome();
    expect(outcome.how).toBe('end');
  });
});

describe('slicer', () => {
  it('splits chunks into small pieces with delay µs between them, bytes intact', async () => {
    const { client } = await connectThrough([{ type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 10_000 } }]);
    const payload = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const start = performance.now();
    client.send(payload);
    const received = await client.waitForBytes(1000);
    expect(received.equals(payload)).toBe(true);
    expect(client.readSizes.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...client.readSizes)).toBeLessThanOrEqual(250);
    expect(since(start)).toBeGreaterThanOrEqual(60);
  });
});

describe('limit_data', () => {
  it('passes that many bytes, then closes', async () => {
    const { client } = await connectThrough([{ type: 'limit_data', attributes: { bytes: 10 } }]);
    client.send('0123456789abcdefghij');
    const outcome = await client.waitForOutcome();
    expect(outcome.how).toBe('end');
    expect(client.data().toString()).toBe('0123456789');
  });

  it('counts per connection and direction (upstream)', async () => {
    const { name, client } = await connectThrough([{ type: 'limit_data', stream: 'upstream', attributes: { bytes: 6 } }]);
    client.send('abc');
    await client.waitForBytes(3);
    client.send('defghi');
    // 'def' reaches the server, then the connection closes: its answer has nowhere to go.
    await client.waitForOutcome();
    expect(client.data().toString()).toBe('abc');
    // A new connection gets its own allowance.
    const port = Number((await api.get(`/proxies/${name}`)).json.listen.split(':').pop());
    const second = await TestClient.open(port);
    clients.push(second);
    await second.roundTrip('xyz');
    expect(second.data().toString()).toBe('xyz');
  });
});

describe('noop', () => {
  it('passes data unchanged', async () => {
    const { client } = await connectThrough([{ type: 'noop' }, { type: 'noop', stream: 'upstream' }]);
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256));
    client.send(payload);
    expect((await client.waitForBytes(payload.length)).equals(payload)).toBe(true);
  });
});

describe('toxicity', () => {
  it('0 never acts, 1 always does', async () => {
    const never = await connectThrough([{ type: 'latency', toxicity: 0, attributes: { latency: 300 } }]);
    expect(await never.client.roundTrip('x')).toBeLessThan(250);
    const always = await connectThrough([{ type: 'latency', toxicity: 1, attributes: { latency: 300 } }]);
    expect(await always.client.roundTrip('x')).toBeGreaterThanOrEqual(290);
  });

  it('is rolled once per connection (and direction), not per chunk', async () => {
    const proxy = await createProxy(api, uniqueName('half'), echo.address);
    await addToxic(api, proxy.name, { type: 'latency', toxicity: 0.5, attributes: { latency: 300 } });
    const connections = await Promise.all(Array.from({ length: 24 }, () => TestClient.open(proxy.port)));
    clients.push(...connections);
    const verdicts = await Promise.all(
      connections.map(async (client) => {
        const rtts = [await client.roundTrip('a'), await client.roundTrip('b'), await client.roundTrip('c')];
        // A connection without the toxic would need a 290 ms stall to look slow.
        const slow = rtts.map((rtt) => rtt >= 290);
        return slow.every((s) => s === slow[0]) ? (slow[0] ? 'slow' : 'fast') : 'mixed';
      }),
    );
    expect(verdicts).not.toContain('mixed');
    // 24 fair coins all landing the same way: about 1 in 8 million.
    expect(verdicts).toContain('slow');
    expect(verdicts).toContain('fast');
  });
});
