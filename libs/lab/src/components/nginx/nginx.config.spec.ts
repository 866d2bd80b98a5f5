import { describe, expect, it } from '@jest/globals';
import { loadProfile, topologyFromSpec, type Topology } from '#libs/topology';
import { createLabContext } from '../../lab-context.js';
import { labPaths } from '../../lab-paths.js';
import { edgeConfig } from './nginx.config.js';

const contextFor = (topology: Topology, options: { isRoot?: boolean; stateDir?: string } = {}) =>
  createLabContext({
    topology,
    paths: labPaths(options.stateDir ?? '/srv/lab'),
    isRoot: options.isRoot ?? false,
    faultlineBin: '/x/bin/faultline.js',
    faultProxyUrl: 'http://127.0.0.1:1',
    run: async () => ({ code: 0, stdout: '', stderr: '' }),
  });

/** The directives of the (first, or last) block that starts with `header`, nested blocks included, trimmed. */
const block = (conf: string, header: string, which: 'first' | 'last' = 'first'): string[] => {
  const lines = conf.split('\n');
  const isHeader = (l: string) => l.trim() === `${header} {`;
  const start = which === 'first' ? lines.findIndex(isHeader) : lines.findLastIndex(isHeader);
  if (start < 0) throw new Error(`no block "${header}" in:\n${conf}`);
  let depth = 0;
  const out: string[] = [];
  for (const line of lines.slice(start)) {
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    out.push(line.trim());
    if (depth === 0) break;
  }
  return out.slice(1, -1);
};

describe('edgeConfig', () => {
  const topology = loadProfile('full');
  const ctx = contextFor(topology);
  const edge = ctx.component('dc-b.edge');
  const origin = ctx.link('dc-b.edge', 'dc-b.lb');
  const conf = edgeConfig(edge, ctx);

  it('runs in the foreground, keeps pid, temp files and cache under the state dir', () => {
    expect(conf).toMatch(/^daemon off;$/m);
    expect(conf).toContain('pid "/srv/lab/run/dc-b.edge.nginx.pid";');
    expect(conf).toContain('error_log stderr notice;');
    for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
      expect(conf).toMatch(new RegExp(`${t}_temp_path "/srv/lab/data/dc-b\\.edge/tmp/`));
    expect(conf).toMatch(/proxy_cache_path "\/srv\/lab\/data\/dc-b\.edge\/cache" .*keys_zone=edge_cache:10m/);
    expect(conf).not.toMatch(/"\/(etc|var|tmp)\//);
  });

  it('names a user only as root', () => {
    expect(conf).not.toMatch(/^user /m);
    expect(edgeConfig(edge, contextFor(topology, { isRoot: true }))).toMatch(/^user root root;$/m);
  });

  it('reaches its origin only through the edge->lb link', () => {
    expect(block(conf, 'upstream origin')).toContain(`server 127.0.0.1:${origin.listen.port};  # dc-b.edge->dc-b.lb`);
    expect(conf).not.toContain(`:${origin.upstream.port}`);
  });

  it('caches media GET/HEAD for the topology TTL, one origin request per miss, and says X-Cache', () => {
    const media = block(conf, 'location /v1/media/');
    expect(media).toEqual(
      expect.arrayContaining([
        'proxy_cache edge_cache;',
        'proxy_cache_methods GET HEAD;',
        `proxy_cache_valid 200 ${topology.cdn.ttlSeconds}s;`,
        'proxy_cache_lock on;',
        'add_header X-Cache $upstream_cache_status always;',
        'add_header Cache-Control $upstream_http_x_origin_cache_control always;',
        'proxy_pass http://origin_stamped;',
      ]),
    );
    const passThrough = block(conf, 'location /', 'last');
    expect(passThrough).toContain('proxy_pass http://origin;');
    expect(passThrough.join('\n')).not.toMatch(/proxy_cache/);
    // writes under /v1/media/ skip the cache and the stamping server
    expect(block(conf, 'limit_except GET')).toEqual(['proxy_pass http://origin;']);
    expect(block(conf, 'location = /edge-health')).toContain('return 200 "ok\\n";');
  });

  it('bounds stale answers by staleSeconds: stale-if-error stamped on cacheable responses, nothing else stretching it', () => {
    const small = topologyFromSpec(
      { name: 'x', dataCenters: [{ id: 'dc-a', region: 'eu' }], shards: [{ primary: 'dc-a', replicas: ['dc-a'] }], cdn: { ttlSeconds: 7, staleSeconds: 11 } },
      'test',
    );
    const c = edgeConfig(small.components.find((x) => x.kind === 'cdn-edge')!, contextFor(small));
    expect(block(c, 'map $upstream_http_cache_control $edge_cache_control')).toEqual([
      '"~*(no-store|no-cache|private)" "no-store";',
      'default "stale-if-error=11";',
    ]);
    expect(block(c, 'location /v1/media/')).toContain('proxy_cache_use_stale updating;');
    expect(block(c, 'location /v1/media/')).toContain('proxy_cache_valid 200 7s;');
    expect(c).toContain('inactive=18s');
    expect(c).toContain('error_page 500 502 503 504 = @origin_failed;');
  });

  it('marks every request it sends its origin with X-Via-Edge (the LB sends media reads without it to the edge)', () => {
    const header = 'proxy_set_header X-Via-Edge "dc-b.edge";';
    // Media reads (through the stamping server), its pass-through to the origin, and everything else.
    expect(block(conf, 'location /v1/media/')).toContain(header);
    expect(block(conf, 'location /', 'first')).toContain(header);
    expect(block(conf, 'location /', 'last')).toContain(header);
  });

  it('logs JSON with the cache status into the log dir', () => {
    expect(conf).toContain('access_log "/srv/lab/logs/dc-b.edge.access.log" edge_json;');
    expect(conf).toMatch(/log_format edge_json escape=json .*"cache":"\$upstream_cache_status"/s);
  });

  it('refuses a state dir too deep for its unix socket', () => {
    const deep = contextFor(topology, { stateDir: `/${'d'.repeat(100)}` });
    expect(() => edgeConfig(edge, deep)).toThrow(/too deep for the edge's unix socket/);
  });
});
