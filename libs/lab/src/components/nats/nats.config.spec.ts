import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { labPaths } from '../../lab-paths.js';
import { NATS_ROUTE_ADVERTISE, natsConfig } from './nats.config.js';

const paths = labPaths('/srv/lab');

describe('natsConfig', () => {
  it('with one DC: client port, monitoring, JetStream under the data dir, and no cluster block', () => {
    const topology = loadProfile('minimal');
    const nats = topology.components.find((c) => c.kind === 'nats')!;
    const conf = natsConfig(nats, topology, paths);
    expect(conf).toContain(`server_name: "dc-a.nats"`);
    expect(conf).toContain(`listen: "127.0.0.1:${nats.port}"`);
    expect(conf).toContain(`http: "127.0.0.1:${nats.ports.monitoring}"`);
    expect(conf).toMatch(/jetstream \{\n {2}store_dir: "\/srv\/lab\/data\/dc-a\.nats"\n {2}max_memory_store: 64MB\n {2}max_file_store: 512MB\n\}/);
    expect(conf).not.toContain('cluster {');
  });

  it('lets messages carry the largest media upload, base64-encoded', () => {
    const topology = loadProfile('minimal');
    const conf = natsConfig(topology.components.find((c) => c.kind === 'nats')!, topology, paths);
    expect(conf).toMatch(/^max_payload: 16MB$/m);
    // MAX_MEDIA_BYTES (8 MiB) in base64 plus room for the JSON envelope.
    expect(Math.ceil((8 * 1024 * 1024) / 3) * 4 + 64 * 1024).toBeLessThan(16 * 1024 * 1024);
  });

  it('with two DCs: a cluster with one route per nats-route link from the node, through the link proxy', () => {
    const topology = loadProfile('full');
    for (const dc of ['dc-a', 'dc-b']) {
      const nats = topology.components.find((c) => c.id === `${dc}.nats`)!;
      const links = topology.links.filter((l) => l.kind === 'nats-route' && l.from === nats.id);
      expect(links).toHaveLength(1);
      const conf = natsConfig(nats, topology, paths);
      const cluster = conf.slice(conf.indexOf('cluster {'));
      expect(cluster).toContain('name: "faultline"');
      expect(cluster).toContain(`listen: "127.0.0.1:${nats.ports.cluster}"`);
      const routes = [...cluster.matchAll(/"nats-route:\/\/([^"]+)"/g)].map((m) => m[1]);
      expect(routes).toEqual(links.map((l) => `${l.listen.host}:${l.listen.port}`));
      // never the peer's own cluster port
      for (const l of links) expect(cluster).not.toContain(`:${l.upstream.port}"`);
    }
  });

  it('keeps routes and clients on the proxies: an unusable route advertise and no_advertise for clients', () => {
    const topology = loadProfile('full');
    const conf = natsConfig(topology.components.find((c) => c.id === 'dc-a.nats')!, topology, paths);
    expect(conf).toContain(`advertise: "${NATS_ROUTE_ADVERTISE}"`);
    expect(conf).toContain('no_advertise: true');
    expect(conf).toContain('server_tags: ["dc:dc-a"]');
  });
});
