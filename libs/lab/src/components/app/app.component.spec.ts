import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { appDependencies, loadAppConfig } from '#libs/config';
import { isAppKind, loadProfile, type AppKind, type Component } from '#libs/topology';
import { labPaths } from '../../lab-paths.js';
import { createLabContext } from '../../lab-context.js';
import { runCommand } from '../../process/run-command.js';
import { appConfigOf, gatewayRunner } from './app.component.js';

const stateDirs: string[] = [];
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

/** A real folder: the gateways' session secret is made in it on first use. */
const newStateDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-app-spec-'));
  stateDirs.push(dir);
  return dir;
};

const ctxFor = (profile: string) =>
  createLabContext({
    topology: loadProfile(profile),
    paths: labPaths(newStateDir()),
    isRoot: false,
    faultlineBin: '/repo/bin/faultline.js',
    faultProxyUrl: 'http://127.0.0.1:21000',
    run: runCommand,
  });

describe('the environment the lab gives each app instance', () => {
  const ctx = ctxFor('full');
  const apps = ctx.topology.components.filter((c): c is Component & { kind: AppKind } => isAppKind(c.kind));

  it('passes the apps\' own config validation, for every instance of the full lab', () => {
    for (const app of apps) expect(() => loadAppConfig(gatewayRunner.launch(app, ctx).env ?? {}, app.kind)).not.toThrow();
  });

  it('gives every gateway of a lab the same session secret, and keeps it across calls', () => {
    const gateways = apps.filter((app) => app.kind === 'gateway').map((app) => appConfigOf(app, ctx));
    const secrets = new Set(gateways.map((config) => ('api' in config ? config.api.sessionSecret : undefined)));
    expect(gateways.length).toBeGreaterThan(1);
    expect(secrets.size).toBe(1);
    expect([...secrets][0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives each app exactly the dependencies it declares, each reached through its own link', () => {
    for (const app of apps) {
      const config = appConfigOf(app, ctx);
      const has = { redis: 'redis' in config, postgres: 'shards' in config, nats: true };
      const declared = appDependencies[app.kind];
      expect({ app: app.id, redis: has.redis, postgres: has.postgres }).toEqual({
        app: app.id,
        redis: declared.includes('redis'),
        postgres: declared.includes('postgres'),
      });
      const ownLinks = new Set(ctx.topology.links.filter((l) => l.from === app.id).map((l) => `127.0.0.1:${l.listen.port}`));
      const addresses = [...config.nats.servers, ...('redis' in config ? [config.redis.url] : []), ...('shards' in config ? config.shards.flatMap((s) => s.nodes.map((n) => n.url)) : [])];
      for (const address of addresses) expect(ownLinks.has(new URL(address).host)).toBe(true);
    }
  });
});
