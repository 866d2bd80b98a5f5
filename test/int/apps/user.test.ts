import { afterEach, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClientNats } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { NatsRequestTransport } from '../../../apps/gateway/src/services/nats-request.transport.js';
import { createUserApp } from '../../../apps/user/src/user.app.js';
import { describeAppContract } from './support/app-contract.js';
import { boot, describeWithServers, realEndpoints, type RunningApp } from './support/app-under-test.js';
import { closedPort, probeRealServers, realServers, startTcpRelay, waitFor } from './support/services.js';

await describeAppContract({
  app: 'user',
  create: createUserApp,
  dependencies: ['postgres', 'redis', 'nats'],
  checks: ['redis', 'nats', 'postgres:shard0'],
});

const available = await probeRealServers();

describeWithServers(available, ['postgres', 'redis', 'nats'])('user while NATS comes and goes', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const natsCheck = async (running: RunningApp) =>
    ((await (await running.get('/health')).json()) as { checks: { nats: { ok: boolean; error?: string } } }).checks.nats;

  it('starts without NATS, connects once NATS is up, serves user.ping, and rides out an outage', async () => {
    // NATS "at" a port where nothing listens yet; a relay to the real server plays NATS starting there.
    const port = await closedPort();
    const running = await boot('user', createUserApp, { ...realEndpoints, nats: `nats://127.0.0.1:${port}` });
    cleanup.push(() => running.close());

    expect(await natsCheck(running)).toMatchObject({ ok: false, error: expect.stringContaining('NATS disconnected') });

    let relay = await startTcpRelay(port, realServers.nats.port);
    cleanup.push(() => relay.close());
    await waitFor('the user service to connect to NATS', async () => (await running.get('/health')).status === 200);

    const client = new ClientNats({ servers: [realServers.nats.url] });
    cleanup.push(() => client.close());
    const reply = await firstValueFrom(client.send('user.ping', {}).pipe(timeout(2_000)));
    expect(reply).toEqual({ app: 'user', instance: 'dc-t.user-1', dc: 'dc-t' });

    // NATS goes away (every connection cut) and comes back on the same address.
    await relay.close();
    await waitFor('the nats check to fail', async () => !(await natsCheck(running)).ok);
    relay = await startTcpRelay(port, realServers.nats.port);
    await waitFor('the user service to reconnect to NATS', async () => (await running.get('/health')).status === 200);
    expect(await firstValueFrom(client.send('user.ping', {}).pipe(timeout(2_000)))).toEqual(reply);
  });
});

describeWithServers(available, ['postgres', 'redis', 'nats'])("user and its callers' deadlines", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("answers on its DC's own subject, skips a registration whose caller's deadline passed (DEADLINE_EXCEEDED, nobody registered) and serves one still awaited", async () => {
    const running = await boot('user', createUserApp, realEndpoints);
    cleanup.push(() => running.close());
    const nats: NatsConnection = await connect({ servers: realServers.nats.url });
    cleanup.push(() => nats.close());
    // The gateway's own transport: the deadline travels as a NATS header.
    const transport = new NatsRequestTransport(async () => nats, { timeoutMs: 10_000 });
    const call = (pattern: string, data: unknown, deadline?: number) => firstValueFrom(transport.send(pattern, data, deadline));
    await waitFor('the user service to serve user.ping', async () => (await call('user.ping', {}).then(() => true, () => false)), 20_000, 200);
    // It also answers on its data center's own subject, where the gateways of its DC ask first.
    expect(await firstValueFrom(transport.send('user.ping', {}).pipe(timeout(2_000)))).toMatchObject({ dc: 'dc-t' });
    const local = await nats.request('dc.dc-t.user.ping', JSON.stringify({ pattern: 'user.ping', data: {}, id: '1' }), { timeout: 2_000 });
    expect(local.json<{ response: unknown }>().response).toEqual({ app: 'user', instance: 'dc-t.user-1', dc: 'dc-t' });

    const late = { email: `late-${randomUUID()}@example.org`, password: 'a long enough password', name: 'Late', requestId: randomUUID() };
    expect(await call('user.register', late, Date.now() - 1)).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(await call('user.authenticate', { email: late.email, password: late.password })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });

    const awaited = { ...late, email: `awaited-${randomUUID()}@example.org`, requestId: randomUUID() };
    expect(await call('user.register', awaited, Date.now() + 10_000)).toMatchObject({ ok: true, value: { userId: expect.any(String) } });
    expect(await call('user.authenticate', { email: awaited.email, password: awaited.password }, Date.now() + 10_000)).toMatchObject({ ok: true });
  });
});
