import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { ClientNats } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { Registry } from 'prom-client';
import { isCircuitOpenError, isServiceRefusedError, isServiceUnavailableError } from '../../../apps/gateway/src/http/api.errors.js';
import { NatsRequestTransport } from '../../../apps/gateway/src/services/nats-request.transport.js';
import { ServiceCallMetrics } from '../../../apps/gateway/src/services/service-call.metrics.js';
import { ServiceClient, type ServiceTransport } from '../../../apps/gateway/src/services/service-client.js';
import { describeWithServers } from '../apps/support/app-under-test.js';
import { probeRealServers, realServers } from '../apps/support/services.js';

const available = await probeRealServers();

/**
 * Answers Nest's NATS request packets (`{ pattern, data, id }`) the way a Nest microservice does. Resolves once
 * the server has the subscription: requests come over another connection, and one sent before the server saw
 * this SUB would get "no responders" at once.
 */
async function respond(nats: NatsConnection, subject: string, answer: (data: unknown, index: number) => unknown | undefined): Promise<Subscription> {
  let index = 0;
  const subscription = nats.subscribe(subject, {
    callback: (_error, message) => {
      const packet = message.json<{ id: string; data: unknown }>();
      const response = answer(packet.data, index++);
      if (response !== undefined) message.respond(JSON.stringify({ id: packet.id, response, isDisposed: true }));
    },
  });
  await nats.flush();
  return subscription;
}

// The gateway's transport (one shared reply subscription) and Nest's own ClientNats (an inbox per request)
// must behave alike: both speak to Nest microservices.
const transports: [string, (client: ClientNats) => ServiceTransport][] = [
  ['NatsRequestTransport', (client) => new NatsRequestTransport(() => client.connect() as Promise<NatsConnection>, { timeoutMs: 5_000 })],
  ["Nest's ClientNats", (client) => client],
];

describeWithServers(available, ['nats'])('ServiceClient over a real NATS server', () => {
  describe.each(transports)('through %s', (_, transportOf) => {
    let nats: NatsConnection;
    let natsClient: ClientNats;
    let transport: ServiceTransport;
    beforeAll(async () => {
      nats = await connect({ servers: realServers.nats.url });
      natsClient = new ClientNats({ servers: [realServers.nats.url] });
      await natsClient.connect();
      transport = transportOf(natsClient);
    });
    afterAll(async () => {
      await natsClient.close();
      await nats.close();
    });

    // A service name per test: the circuit breakers are per service.
    const service = () => `svc${randomUUID().slice(0, 8)}`;
    const client = (options: Partial<ConstructorParameters<typeof ServiceClient>[2]> = {}) =>
      new ServiceClient(transport, new ServiceCallMetrics(new Registry()), {
        attemptTimeoutMs: 300,
        maxAttempts: 2,
        failureThreshold: 2,
        openMs: 1_000,
        ...options,
      });

    it("returns the reply's value and raises a service's refusal with its code", async () => {
      const name = service();
      const subscription = await respond(nats, `${name}.echo`, (data) =>
        (data as { fail?: boolean }).fail ? { ok: false, error: { code: 'EMAIL_TAKEN', message: 'taken' } } : { ok: true, value: data },
      );
      const calls = client();
      await expect(calls.call(`${name}.echo`, { hello: 'world' })).resolves.toEqual({ hello: 'world' });
      const refused = await calls.call(`${name}.echo`, { fail: true }).catch((error: unknown) => error);
      expect(isServiceRefusedError(refused) && refused.code).toBe('EMAIL_TAKEN');
      subscription.unsubscribe();
    });

    it('retries an attempt that timed out, and the retry answers', async () => {
      const name = service();
      // The first request is swallowed, as by an instance that died holding it.
      const subscription = await respond(nats, `${name}.op`, (data, index) => (index === 0 ? undefined : { ok: true, value: data }));
      await expect(client().call(`${name}.op`, 7)).resolves.toBe(7);
      subscription.unsubscribe();
    });

    it('gives up within its deadline when the service holds requests without answering', async () => {
      const name = service();
      const subscription = await respond(nats, `${name}.op`, () => undefined);
      const started = Date.now();
      const error = await client({ failureThreshold: 10 }).call(`${name}.op`, 1).catch((caught: unknown) => caught);
      const elapsedMs = Date.now() - started;
      expect(isServiceUnavailableError(error)).toBe(true);
      // Two attempts of 300 ms each, and no hanging beyond them.
      expect(elapsedMs).toBeGreaterThanOrEqual(550);
      expect(elapsedMs).toBeLessThan(2_000);
      subscription.unsubscribe();
    });

    it('fails fast while nobody serves the pattern, keeps the circuit open, and closes it once the service is back', async () => {
      const name = service();
      const calls = client();
      // No subscriber: NATS itself answers "no responders", so even the first call does not wait.
      const first = await calls.call(`${name}.op`, 1).catch((error: unknown) => error);
      expect(isServiceUnavailableError(first)).toBe(true);

      const fastStarted = Date.now();
      const fast = await calls.call(`${name}.op`, 2).catch((error: unknown) => error);
      expect(Date.now() - fastStarted).toBeLessThan(100);
      // Refused without being sent: its own code, so a client may count the write as not applied.
      expect(isCircuitOpenError(fast) && fast.code).toBe('CIRCUIT_OPEN');
      expect(isCircuitOpenError(fast) && fast.retryAfterSeconds).toBe(1);

      const subscription = await respond(nats, `${name}.op`, (data) => ({ ok: true, value: data }));
      // The circuit lets a probe through after openMs; awaited by retrying rather than sleeping a fixed time.
      const deadline = Date.now() + 5_000;
      let value: unknown;
      while (Date.now() < deadline) {
        value = await calls.call(`${name}.op`, 3).catch(() => undefined);
        if (value !== undefined) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(value).toBe(3);
      await expect(calls.call(`${name}.op`, 4)).resolves.toBe(4);
      subscription.unsubscribe();
    });

    it("treats an error answered by the service's Nest layer (no handler for the pattern) as unavailable", async () => {
      const name = service();
      const subscription = nats.subscribe(`${name}.op`, {
        callback: (_error, message) => {
          const { id } = message.json<{ id: string }>();
          message.respond(JSON.stringify({ id, status: 'error', err: 'There is no matching message handler defined in the remote service.', isDisposed: true }));
        },
      });
      await nats.flush();
      const error = await client({ failureThreshold: 10 }).call(`${name}.op`, 1).catch((caught: unknown) => caught);
      expect(isServiceUnavailableError(error)).toBe(true);
      subscription.unsubscribe();
    });

    it('treats a malformed reply as unavailable rather than trusting it', async () => {
      const name = service();
      const subscription = await respond(nats, `${name}.op`, () => ({ status: 'fine' }));
      const error = await client().call(`${name}.op`, 1).catch((caught: unknown) => caught);
      expect(isServiceUnavailableError(error)).toBe(true);
      subscription.unsubscribe();
    });
  });
});

describeWithServers(available, ['nats'])("NatsRequestTransport and the caller's data center", () => {
  let nats: NatsConnection;
  beforeAll(async () => {
    nats = await connect({ servers: realServers.nats.url });
  });
  afterAll(async () => {
    await nats.close();
  });

  /** A queue-group member answering with `who` on `subject`, as a service instance does. */
  const member = async (subject: string, who: string) => {
    const subscription = nats.subscribe(subject, {
      queue: 'svc',
      callback: (_error, message) => {
        const packet = message.json<{ id: string }>();
        message.respond(JSON.stringify({ id: packet.id, response: who, isDisposed: true }));
      },
    });
    await nats.flush();
    return subscription;
  };

  it('asks an instance in its own DC while there is one, and any DC when there is none', async () => {
    const pattern = `svc${randomUUID().slice(0, 8)}.get`;
    const anywhere = await member(pattern, 'dc-b');
    const local = await member(`dc.dc-a.${pattern}`, 'dc-a');
    const transport = new NatsRequestTransport(async () => nats, { timeoutMs: 2_000, dc: 'dc-a' });
    const ask = () => firstValueFrom(transport.send(pattern, {}));
    const answers = await Promise.all(Array.from({ length: 20 }, ask));
    expect(new Set(answers)).toEqual(new Set(['dc-a']));

    local.unsubscribe();
    await nats.flush();
    expect(await ask()).toBe('dc-b');
    anywhere.unsubscribe();
  });
});

