import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { countEdgeLogLines, describeEdgeCacheStats, edgeHitRatio, emptyEdgeCacheStats, readEdgeCacheStats, renderEdgeCacheMetrics } from './edge-cache-stats.js';

const line = (cache: string, requestTime = 0.001, bytes = 100) =>
  JSON.stringify({ time: '2026-01-01T00:00:00+00:00', edge: 'dc-a.edge', method: 'GET', uri: '/v1/media/x', status: 200, bytes, cache, request_time: requestTime });

const dir = mkdtempSync(join(tmpdir(), 'faultline-edge-stats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edge cache statistics', () => {
  it('counts answers by X-Cache value; requests that bypassed the cache as NONE', () => {
    const stats = countEdgeLogLines(emptyEdgeCacheStats(), [line('MISS', 0.2, 5000), line('HIT'), line('HIT'), line('STALE'), line(''), 'garbage', '']);
    expect(stats.byStatus.HIT).toEqual({ requests: 2, seconds: 0.002, bytes: 200 });
    expect(stats.byStatus.MISS).toEqual({ requests: 1, seconds: 0.2, bytes: 5000 });
    expect([stats.byStatus.STALE.requests, stats.byStatus.NONE.requests, stats.unparsed]).toEqual([1, 1, 1]);
    expect(edgeHitRatio(stats)).toBe(0.75);
    expect(describeEdgeCacheStats(stats)).toBe('X-Cache HIT 2, MISS 1, STALE 1 (hit ratio 75%)');
    expect(describeEdgeCacheStats(emptyEdgeCacheStats())).toBe('X-Cache: no media reads yet');
  });

  it('reads a growing log incrementally, completing a line nginx was still writing, and starts over on a new file', async () => {
    const log = join(dir, 'dc-a.edge.access.log');
    expect((await readEdgeCacheStats(log)).byStatus.HIT.requests).toBe(0); // no file yet
    writeFileSync(log, `${line('MISS')}\n${line('HIT').slice(0, 20)}`);
    expect((await readEdgeCacheStats(log)).byStatus).toMatchObject({ MISS: { requests: 1 }, HIT: { requests: 0 } });
    appendFileSync(log, `${line('HIT').slice(20)}\n${line('HIT')}\n`);
    const grown = await readEdgeCacheStats(log);
    expect([grown.byStatus.MISS.requests, grown.byStatus.HIT.requests, grown.unparsed]).toEqual([1, 2, 0]);
    rmSync(log);
    writeFileSync(log, `${line('EXPIRED')}\n`);
    const fresh = await readEdgeCacheStats(log);
    expect([fresh.byStatus.EXPIRED.requests, fresh.byStatus.HIT.requests]).toEqual([1, 0]);
  });

  it('renders Prometheus text per edge and cache status', () => {
    const stats = countEdgeLogLines(emptyEdgeCacheStats(), [line('HIT', 0.5, 10), line('MISS', 1.5, 20)]);
    const text = renderEdgeCacheMetrics(new Map([['dc-a.edge', stats]]));
    expect(text).toContain('# TYPE faultline_edge_requests_total counter');
    expect(text).toMatch(/^faultline_edge_requests_total\{edge="dc-a\.edge",cache="HIT"\} 1$/m);
    expect(text).toMatch(/^faultline_edge_request_seconds_total\{edge="dc-a\.edge",cache="MISS"\} 1\.5$/m);
    expect(text).toMatch(/^faultline_edge_sent_bytes_total\{edge="dc-a\.edge",cache="MISS"\} 20$/m);
    expect(text.endsWith('\n')).toBe(true);
  });
});
