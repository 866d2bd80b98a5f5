import { afterEach, expect, it } from '@jest/globals';
import type { Dependency } from '#libs/config';
import { createGatewayApp } from '../../../apps/gateway/src/gateway.app.js';
import { describeAppContract } from './support/app-contract.js';
import { boot, describeWithServers, realEndpoints, type RunningApp } from './support/app-under-test.js';
import { closedPort, probeRealServers, realServers, startTcpRelay, waitFor } from './support/services.js';

await describeAppContract({
  app: 'gateway',
  create: createGatewayApp,
  dependencies: ['redis', 'nats'],
  checks: ['redis', 'nats'],
});

const available = await probeRealServers();

describeWithServers(available, ['redis', 'nats'])('gateway while Redis and NATS come and go', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const checkOk = async (running: RunningApp, check: Dependency) =>
    ((await (await running.get('/health')).json()) as { checks: Record<string, { ok: boolean }> }).checks[check]!.ok;

  it.each(['redis', 'nats'] as const)(
    'starts without %s, connects once it is up, and recovers after an outage',
    async (dependency) => {
      // The dependency "at" a port where nothing listens yet; a relay to the real server plays it starting there.
      const port = await closedPort();
      const running = await boot('gateway', createGatewayApp, {
        ...realEndpoints,
        [dependency]: `${dependency}://127.0.0.1:${port}`,
      });
      cleanup.push(() => running.close());
      expect(await checkOk(running, dependency)).toBe(false);

      let relay = await startTcpRelay(port, realServers[dependency].port);
      cleanup.push(() => relay.close());
      await waitFor(`${dependency} to be connected`, async () => (await running.get('/health')).status === 200);

      await relay.close();
      await waitFor(`the ${dependency} check to fail`, async () => !(await checkOk(running, dependency)));
      relay = await startTcpRelay(port, realServers[dependency].port);
      await waitFor(`${dependency} to be reconnected`, async () => (await running.get('/health')).status === 200);
    },
  );
});
