import { describe, expect, it } from '@jest/globals';
import { loadProfile, type Topology } from '#libs/topology';
import { createLabContext } from '../../lab-context.js';
import { labPaths } from '../../lab-paths.js';
import { geoFrontConfig, loadBalancerConfig } from './haproxy.config.js';

const contextFor = (topology: Topology) =>
  createLabContext({
    topology,
    paths: labPaths('/srv/lab'),
    isRoot: false,
    faultlineBin: '/x/bin/faultline.js',
    faultProxyUrl: 'http://127.0.0.1:1',
    run: async () => ({ code: 0, stdout: '', stderr: '' }),
  });

/** The lines of one section (`frontend x`, `backend y`), without the header. */
const section = (cfg: string, header: string): string[] => {
  const lines = cfg.split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`no section "${header}" in:\n${cfg}`);
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim()).filter(Boolean);
};

describe('loadBalancerConfig', () => {
  const topology = loadProfile('full');
  const ctx = contextFor(topology);
  const lb = ctx.component('dc-b.lb');
  const cfg = loadBalancerConfig(lb, ctx);
  const gatewayLinks = topology.links.filter((l) => l.from === 'dc-b.lb' && l.to.startsWith('dc-b.gateway-'));

  it('has one server per lb->gateway link, at the link proxy, with readiness checks on /health', () => {
    expect(gatewayLinks).toHaveLength(2);
    const backend = section(cfg, 'backend gateways');
    const servers = backend.filter((l) => l.startsWith('server '));
    expect(servers.map((l) => l.split(/\s+/).slice(1, 3))).toEqual(gatewayLinks.map((l) => [l.to, `127.0.0.1:${l.listen.port}`]));
    for (const l of gatewayLinks) expect(cfg).not.toContain(`:${l.upstream.port}`);
    expect(backend).toContain('option httpchk');
    expect(backend).toContain('http-check send meth GET uri /health ver HTTP/1.1 hdr Host dc-b.lb');
    expect(backend).toContain('default-server check inter 500ms fastinter 250ms downinter 1s fall 2 rise 2');
  });

  it('retries a failed request on another gateway, but replays non-idempotent ones only with an Idempotency-Key', () => {
    expect(cfg).toMatch(/^ {2}option redispatch 1$/m);
    expect(cfg).toMatch(/^ {2}retry-on conn-failure empty-response$/m);
    expect(section(cfg, 'backend gateways')).toContain('http-request disable-l7-retry if !idempotent !{ req.hdr(idempotency-key) -m found }');
  });

  it('listens on the component address, answers /lb-health itself and stamps the DC on every response', () => {
    const frontend = section(cfg, 'frontend http');
    expect(frontend).toContain(`bind 127.0.0.1:${lb.port}`);
    expect(frontend).toContain('monitor-uri /lb-health');
    expect(frontend).toContain('monitor fail if { nbsrv(gateways) lt 1 }');
    expect(frontend).toContain('http-after-response set-header X-Served-By-DC dc-b');
    expect(frontend).toContain('capture request header X-Client-Region len 32');
  });

  it('serves stats and Prometheus metrics on the stats port', () => {
    const stats = section(cfg, 'frontend stats');
    expect(stats).toContain(`bind 127.0.0.1:${lb.ports.stats}`);
    expect(stats).toContain('http-request use-service prometheus-exporter if { path /metrics }');
    expect(stats).toContain('stats uri /stats');
  });

  it('sends media reads that did not come from the edge to the DC\'s edge (while it is up), everything else to the gateways', () => {
    const frontend = section(cfg, 'frontend http');
    expect(frontend).toEqual(
      expect.arrayContaining(['acl media_read method GET HEAD', 'acl media_path path_beg /v1/media/', 'acl via_edge req.hdr(X-Via-Edge) -m found']),
    );
    expect(frontend.filter((l) => l.startsWith('use_backend') || l.startsWith('default_backend'))).toEqual([
      'use_backend edge if media_read media_path !via_edge { nbsrv(edge) gt 0 }',
      'default_backend gateways',
    ]);
    const edge = ctx.component('dc-b.edge');
    const backend = section(cfg, 'backend edge');
    expect(backend).toContain('http-check send meth GET uri /edge-health ver HTTP/1.1 hdr Host dc-b.lb');
    expect(backend.filter((l) => l.startsWith('server '))).toEqual([
      `server dc-b.edge 127.0.0.1:${edge.port} check inter 500ms fastinter 250ms downinter 1s fall 2 rise 2  # direct: no link in the topology`,
    ]);
  });

  it('runs in the foreground with its logs on stdout and bounded memory', () => {
    const global = section(cfg, 'global');
    expect(global).toContain('log stdout format raw local0 info');
    expect(global).toContain('maxconn 4096');
    expect(global).not.toContain('daemon');
  });
});

describe('geoFrontConfig', () => {
  const topology = loadProfile('full');
  const ctx = contextFor(topology);
  const geo = ctx.component('geo');
  const cfg = geoFrontConfig(geo, ctx);
  const listen = (to: string) => `127.0.0.1:${ctx.link('geo', to).listen.port}`;

  it('routes by X-Client-Region to the DC of that region, media reads to its edge, the first DC by default', () => {
    const frontend = section(cfg, 'frontend geo');
    expect(frontend).toContain(`bind 127.0.0.1:${geo.port}`);
    expect(frontend).toContain('http-request set-header X-Client-Region eu if !{ req.hdr(X-Client-Region) -m found }');
    expect(frontend).toContain('acl region_dc-b req.hdr(X-Client-Region),lower -m str us');
    expect(frontend).toContain('acl media_read method GET HEAD');
    expect(frontend).toContain('acl media_path path_beg /v1/media/');
    expect(frontend.filter((l) => l.startsWith('use_backend') || l.startsWith('default_backend'))).toEqual([
      'use_backend dc-b.edge if region_dc-b media_read media_path',
      'use_backend dc-b.lb if region_dc-b',
      'use_backend dc-a.edge if media_read media_path',
      'default_backend dc-a.lb',
    ]);
  });

  it('checks each DC\'s LB on /lb-health through the geo link and fails over to the other DC as backup', () => {
    const b = section(cfg, 'backend dc-b.lb');
    expect(b).toContain('http-check send meth GET uri /lb-health ver HTTP/1.1 hdr Host geo');
    expect(b).toContain(`server dc-b.lb ${listen('dc-b.lb')} check inter 500ms fastinter 250ms downinter 1s fall 2 rise 2  # geo->dc-b.lb`);
    expect(b).toContain(`server dc-a.lb ${listen('dc-a.lb')} backup track dc-a.lb/dc-a.lb`);
  });

  it('counts an edge as up only while the edge and its DC\'s LB both answer', () => {
    const a = section(cfg, 'backend dc-a.edge');
    expect(a.filter((l) => l.startsWith('http-check'))).toEqual([
      'http-check connect',
      'http-check send meth GET uri /edge-health ver HTTP/1.1 hdr Host geo',
      'http-check expect status 200',
      `http-check connect addr 127.0.0.1 port ${ctx.link('geo', 'dc-a.lb').listen.port}`,
      'http-check send meth GET uri /lb-health ver HTTP/1.1 hdr Host geo',
      'http-check expect status 200',
    ]);
    expect(a).toContain(`server dc-b.edge ${listen('dc-b.edge')} backup track dc-b.edge/dc-b.edge`);
  });

  it('talks to nothing but its own links', () => {
    const targets = [...cfg.matchAll(/^\s+server \S+ (127\.0\.0\.1:\d+)/gm)].map((m) => m[1]);
    const geoLinks = topology.links.filter((l) => l.from === 'geo').map((l) => `${l.listen.host}:${l.listen.port}`);
    expect(new Set(targets)).toEqual(new Set(geoLinks));
  });
});
