import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { labPaths, type LabPaths } from './lab-paths.js';
import { labStatus } from './lab-status.js';
import { writeLabState } from './lab-state.js';
import { readStartTime } from './process/process-identity.js';

/** A gateway whose /health answers with the given statuses in turn (the last one from then on). */
async function gatewayAnswering(statuses: number[]): Promise<{ server: Server; port: number; asked: () => number }> {
  let asked = 0;
  const server = createServer((_request, response) => {
    const status = statuses[Math.min(asked, statuses.length - 1)]!;
    asked += 1;
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'ok' : 'error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, asked: () => asked };
}

describe('lab status', () => {
  let paths: LabPaths;
  let server: Server | undefined;

  beforeEach(() => {
    paths = labPaths(mkdtempSync(join(tmpdir(), 'faultline-status-')));
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    rmSync(paths.root, { recursive: true, force: true });
  });

  /** A lab state in which only one gateway runs (recorded as this very, living, process); nothing else was started. */
  function labWithOneGateway(port: number): void {
    const topology = loadProfile('minimal', { portBase: 20_000 });
    const gateway = { ...topology.components.find((c) => c.kind === 'gateway')!, host: '127.0.0.1', port };
    writeLabState(paths, {
      version: 1,
      topology: { ...topology, components: topology.components.map((c) => (c.id === gateway.id ? gateway : c)), links: [] },
      faultProxyUrl: 'http://127.0.0.1:1',
      createdAt: new Date().toISOString(),
      processes: { [gateway.id]: { componentId: gateway.id, command: 'node', startedAt: new Date().toISOString(), stopSignal: 'SIGTERM', pid: process.pid, startTime: readStartTime(process.pid)! } },
    });
  }

  it('looks twice before calling a component unhealthy: one slow or failed check on a busy machine is not an outage', async () => {
    const gateway = await gatewayAnswering([503, 200]);
    server = gateway.server;
    labWithOneGateway(gateway.port);
    const status = await labStatus({ paths, faultlineBin: '/repo/bin/faultline.js' });
    expect(status.components.filter((c) => c.running).map((c) => [c.kind, c.healthy, c.detail])).toEqual([['gateway', true, null]]);
    expect(gateway.asked()).toBe(2);
  });

  it('reports a component unhealthy when the second look fails too', async () => {
    const gateway = await gatewayAnswering([503]);
    server = gateway.server;
    labWithOneGateway(gateway.port);
    const status = await labStatus({ paths, faultlineBin: '/repo/bin/faultline.js' });
    expect(status.healthy).toBe(false);
    expect(status.components.filter((c) => c.running)).toEqual([expect.objectContaining({ kind: 'gateway', healthy: false })]);
    expect(gateway.asked()).toBe(2);
  });

  it('looks once when asked to (the dashboard, which asks again every second)', async () => {
    const gateway = await gatewayAnswering([503, 200]);
    server = gateway.server;
    labWithOneGateway(gateway.port);
    const status = await labStatus({ paths, faultlineBin: '/repo/bin/faultline.js', recheckUnhealthy: false });
    expect(status.components.filter((c) => c.running)).toEqual([expect.objectContaining({ kind: 'gateway', healthy: false })]);
    expect(gateway.asked()).toBe(1);
  });
});
