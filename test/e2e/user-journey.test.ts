import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiClient } from './support/api-client.js';
import { startLab, type RunningLab } from './support/running-lab.js';

/**
 * The seed's core path on the running `minimal` lab: through the load balancer, two stateless gateways,
 * NATS, the user service, the sharded event store and the Redis cache.
 */
describe('a user on the running minimal lab', () => {
  let lab: RunningLab;
  let viaLb: ApiClient;
  let gateways: ApiClient[];
  beforeAll(async () => {
    lab = await startLab({ profile: 'minimal', portBase: 29000 });
    viaLb = new ApiClient(lab.status.entrypoint);
    gateways = [...lab.gateways.values()].map((url) => new ApiClient(url));
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  const email = `ada-${randomUUID().slice(0, 8)}@example.org`;
  const password = 'correct horse battery';
  let userId: string;
  let token: string;

  it('registers, answering 201 with the new id', async () => {
    const answer = await viaLb.request<{ id: string }>('POST', '/v1/users', { email, password, name: 'Ada' });
    expect(answer.status).toBe(201);
    expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('x-request-id')).toBeTruthy();
    userId = answer.body.id;
  });

  it('refuses a second account with the same email, differently cased, with 409', async () => {
    const answer = await viaLb.request('POST', '/v1/users', { email: email.toUpperCase(), password, name: 'Eve' });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
  });

  it('refuses a wrong password with 401 and logs in with the right one', async () => {
    expect((await viaLb.request('POST', '/v1/sessions', { email, password: 'not the password' })).status).toBe(401);
    const answer = await viaLb.request<{ token: string; userId: string }>('POST', '/v1/sessions', { email, password });
    expect(answer.status).toBe(201);
    expect(answer.body.userId).toBe(userId);
    token = answer.body.token;
  });

  it('reads the profile from the database first, then from the cache', async () => {
    const client = viaLb.withToken(token);
    const first = await client.request<{ email: string; name: string }>('GET', `/v1/users/${userId}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: userId, email, name: 'Ada' });
    expect(first.headers.get('x-profile-source')).not.toBe('cache');
    const second = await client.request('GET', `/v1/users/${userId}`);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('x-profile-source')).toBe('cache');
  });

  it("sees its own update at once (read-your-writes), and the cache does not serve the old name", async () => {
    const client = viaLb.withToken(token);
    const updated = await client.request('PATCH', `/v1/users/${userId}`, { name: 'Ada Lovelace' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Ada Lovelace' });
    const read = await client.request('GET', `/v1/users/${userId}`);
    expect(read.body).toMatchObject({ name: 'Ada Lovelace' });
  });

  it('is served by every gateway instance with the same session', async () => {
    expect(gateways.length).toBeGreaterThanOrEqual(2);
    const servedBy = new Set<string>();
    for (const gateway of gateways) {
      const answer = await gateway.withToken(token).request('GET', `/v1/users/${userId}`);
      expect(answer.status).toBe(200);
      servedBy.add(answer.headers.get('x-served-by')!);
    }
    expect(servedBy.size).toBe(gateways.length);
  });

  it("answers 400 naming the field, 403 for someone else's profile and 404 for an unknown user", async () => {
    const client = viaLb.withToken(token);
    const invalid = await client.request<{ error: { fields: { field: string }[] } }>('PATCH', `/v1/users/${userId}`, { name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f) => f.field)).toEqual(['name']);
    const other = randomUUID();
    expect((await client.request('PATCH', `/v1/users/${other}`, { name: 'Mallory' })).status).toBe(403);
    expect((await client.request('GET', `/v1/users/${other}`)).status).toBe(404);
  });

  it('changes the email, after which the old address is free and the new one logs in', async () => {
    const newEmail = `lovelace-${randomUUID().slice(0, 8)}@example.org`;
    const changed = await viaLb.withToken(token).request('PUT', `/v1/users/${userId}/email`, { email: newEmail });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: newEmail });
    expect((await viaLb.request('POST', '/v1/sessions', { email: newEmail, password })).status).toBe(201);
    expect((await viaLb.request('POST', '/v1/sessions', { email, password })).status).toBe(401);
    const reuse = await viaLb.request('POST', '/v1/users', { email, password, name: 'Successor' });
    expect(reuse.status).toBe(201);
  });

  it('leaves exactly one winner when two gateways register the same email at once', async () => {
    const contested = `race-${randomUUID().slice(0, 8)}@example.org`;
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, index) => gateways[index % gateways.length]!.request('POST', '/v1/users', { email: contested, password, name: `R${index}` })),
    );
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(7);
  });

  it('logs out on every gateway at once', async () => {
    expect((await viaLb.withToken(token).request('DELETE', '/v1/sessions/current')).status).toBe(204);
    for (const gateway of gateways) {
      expect((await gateway.withToken(token).request('GET', `/v1/users/${userId}`)).status).toBe(401);
    }
  });

  it('serves its OpenAPI description', async () => {
    const answer = await viaLb.request<{ openapi: string; paths: Record<string, unknown> }>('GET', '/v1/openapi.json');
    expect(answer.body.openapi).toBe('3.1.0');
    expect(Object.keys(answer.body.paths)).toEqual(expect.arrayContaining(['/v1/users', '/v1/users/{id}', '/v1/sessions']));
  });
});
