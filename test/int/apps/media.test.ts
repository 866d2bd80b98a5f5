import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createMediaApp } from '../../../apps/media/src/media.app.js';
import { describeAppContract } from './support/app-contract.js';
import { boot, describeWithServers, realEndpoints, type RunningApp } from './support/app-under-test.js';
import { closedPort, probeRealServers, realServers } from './support/services.js';

await describeAppContract({
  app: 'media',
  create: createMediaApp,
  dependencies: ['postgres', 'nats'],
  checks: ['nats', 'postgres:shard0'],
});

const available = await probeRealServers();

describeWithServers(available, ['postgres', 'nats'])('media with a shard missing a node and a shard missing all', () => {
  let running: RunningApp;
  let deadNode: string;
  beforeAll(async () => {
    deadNode = `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`;
    running = await boot('media', createMediaApp, {
      nats: realEndpoints.nats,
      shards: [
        [realServers.postgres.url, deadNode],
        [deadNode, deadNode.replace('/postgres', '/app')],
      ],
    });
  });
  afterAll(() => running?.close());

  it('is ok for a shard while one of its nodes answers, and reports every node', async () => {
    const body = (await (await running.get('/health')).json()) as { checks: Record<string, unknown> };

    expect(body.checks['postgres:shard0']).toMatchObject({
      ok: true,
      nodes: {
        'shard0-a': { ok: true, role: 'primary', latencyMs: expect.any(Number) },
        'shard0-b': { ok: false, error: expect.stringContaining('ECONNREFUSED') },
      },
    });
  });

  it('is 503 naming the shard none of whose nodes answers', async () => {
    const response = await running.get('/health');
    const body = (await response.json()) as { checks: Record<string, unknown> };

    expect(response.status).toBe(503);
    expect(body.checks['postgres:shard1']).toMatchObject({
      ok: false,
      code: 'DEPENDENCY_UNAVAILABLE',
      error: expect.stringMatching(/^no node of shard 1 answered \(.*ECONNREFUSED.*\)$/),
      nodes: { 'shard1-a': { ok: false }, 'shard1-b': { ok: false } },
    });
  });
});
