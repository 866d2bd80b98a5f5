import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiClient, type ApiAnswer } from './support/api-client.js';
import { startLab, type RunningLab } from './support/running-lab.js';

/**
 * The `full` lab's two data centers through the geo front: a client of region `us` is served by dc-b;
 * when dc-b's load balancer dies the geo front moves it to dc-a, where its session (created in dc-b's
 * Redis) is still accepted and its writes still reach the shard primaries, wherever they live.
 */

const REGION_HEADER = 'x-client-region';
const FAILOVER_DEADLINE_MS = 20_000;

const servedBy = (answer: ApiAnswer<unknown>): string => answer.headers.get('x-served-by') ?? '(no x-served-by header)';

async function processGone(pid: number, deadlineMs: number): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a client of region us on the running full lab', () => {
  let lab: RunningLab;
  let geo: ApiClient;
  const us = { [REGION_HEADER]: 'us' };
  const email = `two-dc-${randomUUID().slice(0, 8)}@example.org`;
  const password = 'correct horse battery';
  let userId: string;
  let token: string;

  beforeAll(async () => {
    lab = await startLab({ profile: 'full', portBase: 28000 });
    geo = new ApiClient(lab.status.entrypoint);
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  it('enters through the geo front', () => {
    const front = lab.status.components.find((c) => c.kind === 'geo-front' || c.id === 'geo');
    expect(front).toBeDefined();
    expect(lab.status.entrypoint).toBe(`http://${front!.address}`);
  });

  it('registers, logs in and reads its profile in dc-b, its region', async () => {
    const registered = await geo.request<{ id: string }>('POST', '/v1/users', { email, password, name: 'Barbara' }, us);
    expect(registered.status).toBe(201);
    expect(servedBy(registered)).toMatch(/^dc-b\./);
    userId = registered.body.id;

    const session = await geo.request<{ token: string }>('POST', '/v1/sessions', { email, password }, us);
    expect(session.status).toBe(201);
    expect(servedBy(session)).toMatch(/^dc-b\./);
    token = session.body.token;

    const profile = await geo.withToken(token).request('GET', `/v1/users/${userId}`, undefined, us);
    expect(profile.status).toBe(200);
    expect(servedBy(profile)).toMatch(/^dc-b\./);
    expect(profile.body).toMatchObject({ id: userId, email });
  });

  it('a client without a region goes to dc-a, the documented default', async () => {
    const answer = await geo.withToken(token).request('GET', `/v1/users/${userId}`);
    expect(answer.status).toBe(200);
    expect(servedBy(answer)).toMatch(/^dc-a\./);
  });

  it("is moved to dc-a when dc-b's load balancer is stopped, and is still logged in there", async () => {
    const lb = lab.status.components.find((c) => c.id === 'dc-b.lb');
    expect(lb?.pid).toBeGreaterThan(0);
    const stoppedAt = Date.now();
    process.kill(lb!.pid!, 'SIGTERM');
    expect(await processGone(lb!.pid!, 5_000)).toBe(true);

    // The geo front notices with its health checks; until then requests may fail. Await the move.
    const client = geo.withToken(token);
    let answer: ApiAnswer | undefined;
    while (Date.now() - stoppedAt < FAILOVER_DEADLINE_MS) {
      answer = await client.request('GET', `/v1/users/${userId}`, undefined, us).catch(() => undefined);
      if (answer && answer.status !== 503 && servedBy(answer).startsWith('dc-a.')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const movedAfterMs = Date.now() - stoppedAt;
    process.stdout.write(`two-dc: region us served by dc-a ${movedAfterMs} ms after dc-b.lb was stopped\n`);
    expect(answer).toBeDefined();
    expect(servedBy(answer!)).toMatch(/^dc-a\./);
    // Still logged in: dc-a's gateways accept the session dc-b created.
    expect(answer!.status).toBe(200);
    expect(answer!.body).toMatchObject({ id: userId, email });

    // And can still write: the update reaches the user's shard primary from dc-a.
    const updated = await client.request('PATCH', `/v1/users/${userId}`, { name: 'Barbara L.' }, us);
    expect(updated.status).toBe(200);
    expect(servedBy(updated)).toMatch(/^dc-a\./);
    expect(updated.body).toMatchObject({ name: 'Barbara L.' });

    // Logging out in dc-a ends the session.
    expect((await client.request('DELETE', '/v1/sessions/current', undefined, us)).status).toBe(204);
    expect((await client.request('GET', `/v1/users/${userId}`, undefined, us)).status).toBe(401);
  });
});
