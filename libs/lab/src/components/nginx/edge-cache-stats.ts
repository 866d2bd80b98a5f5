import { open, stat } from 'node:fs/promises';

/**
 * The CDN edge's cache statistics, counted from its JSON access log (one object per request, written by
 * nginx with `$upstream_cache_status`, see `edgeConfig`). Stock nginx counts connections at most
 * (stub_status), never cache results; its access log already has every answer's X-Cache value, so the
 * lab counts those: `faultline status` shows them as the edge's detail, and `renderEdgeCacheMetrics`
 * gives them in Prometheus text for whatever scrapes the lab.
 */

/** The values of `X-Cache` (nginx's `$upstream_cache_status`), and `NONE` for answers that bypassed the cache entirely (writes, non-media paths). */
export const CACHE_STATUSES = ['HIT', 'MISS', 'EXPIRED', 'STALE', 'UPDATING', 'REVALIDATED', 'BYPASS', 'NONE'] as const;
export type CacheStatus = (typeof CACHE_STATUSES)[number];

/** Answers that came out of the cache without the origin's help (fresh, stale, or revalidated). */
const SERVED_FROM_CACHE: readonly CacheStatus[] = ['HIT', 'STALE', 'UPDATING', 'REVALIDATED'];

export interface CacheStatusStats {
  requests: number;
  /** Sum of nginx's `$request_time` (seconds): the whole answer as the edge saw it. */
  seconds: number;
  bytes: number;
}

export interface EdgeCacheStats {
  readonly byStatus: Record<CacheStatus, CacheStatusStats>;
  /** Log lines that were not an edge_json object (should stay 0). */
  unparsed: number;
}

interface LogEntry {
  readonly cache?: unknown;
  readonly request_time?: unknown;
  readonly bytes?: unknown;
}

export function emptyEdgeCacheStats(): EdgeCacheStats {
  return {
    byStatus: Object.fromEntries(CACHE_STATUSES.map((status) => [status, { requests: 0, seconds: 0, bytes: 0 }])) as Record<CacheStatus, CacheStatusStats>,
    unparsed: 0,
  };
}

const statusOf = (value: unknown): CacheStatus => {
  const text = typeof value === 'string' ? value.toUpperCase() : '';
  return (CACHE_STATUSES as readonly string[]).includes(text) && text !== 'NONE' ? (text as CacheStatus) : 'NONE';
};

/** Adds complete log lines (`edge_json` objects) to `stats`. */
export function countEdgeLogLines(stats: EdgeCacheStats, lines: Iterable<string>): EdgeCacheStats {
  for (const line of lines) {
    if (line.trim() === '') continue;
    let entry: LogEntry;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      stats.unparsed++;
      continue;
    }
    const counted = stats.byStatus[statusOf(entry.cache)];
    counted.requests++;
    counted.seconds += typeof entry.request_time === 'number' ? entry.request_time : 0;
    counted.bytes += typeof entry.bytes === 'number' ? entry.bytes : 0;
  }
  return stats;
}

interface Cursor {
  readonly ino: number;
  offset: number;
  /** The start of a line nginx had not finished writing at the last read. */
  partial: string;
  readonly stats: EdgeCacheStats;
}

/** Per log file, how far it has been counted: repeated reads (a long-running caller) only read what is new. */
const cursors = new Map<string, Cursor>();
const READ_CHUNK = 1 << 20;

/**
 * The counts so far of an edge's access log. Reads only what was appended since the last call for the
 * same file (in this process); a replaced or truncated file (a new lab, a `down --purge`) starts over.
 * A missing file counts as no requests.
 */
export async function readEdgeCacheStats(accessLog: string): Promise<EdgeCacheStats> {
  let info;
  try {
    info = await stat(accessLog);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      cursors.delete(accessLog);
      return emptyEdgeCacheStats();
    }
    throw error;
  }
  let cursor = cursors.get(accessLog);
  if (!cursor || cursor.ino !== info.ino || info.size < cursor.offset) {
    cursor = { ino: info.ino, offset: 0, partial: '', stats: emptyEdgeCacheStats() };
    cursors.set(accessLog, cursor);
  }
  if (info.size > cursor.offset) {
    const file = await open(accessLog, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(READ_CHUNK, info.size - cursor.offset));
      while (cursor.offset < info.size) {
        const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, info.size - cursor.offset), cursor.offset);
        if (bytesRead === 0) break;
        cursor.offset += bytesRead;
        const lines = (cursor.partial + buffer.toString('utf8', 0, bytesRead)).split('\n');
        cursor.partial = lines.pop()!;
        countEdgeLogLines(cursor.stats, lines);
      }
    } finally {
      await file.close();
    }
  }
  return cursor.stats;
}

/** Of the answers the cache could have given, the share it gave (HIT, STALE, UPDATING, REVALIDATED); undefined before any. */
export function edgeHitRatio(stats: EdgeCacheStats): number | undefined {
  const cacheable = CACHE_STATUSES.filter((status) => status !== 'NONE').reduce((sum, status) => sum + stats.byStatus[status].requests, 0);
  if (cacheable === 0) return undefined;
  return SERVED_FROM_CACHE.reduce((sum, status) => sum + stats.byStatus[status].requests, 0) / cacheable;
}

/** One line for `faultline status`: e.g. `X-Cache HIT 12, MISS 3, STALE 1 (hit ratio 81%)`. */
export function describeEdgeCacheStats(stats: EdgeCacheStats): string {
  const seen = CACHE_STATUSES.filter((status) => status !== 'NONE' && stats.byStatus[status].requests > 0);
  if (seen.length === 0) return 'X-Cache: no media reads yet';
  const ratio = edgeHitRatio(stats)!;
  return `X-Cache ${seen.map((status) => `${status} ${stats.byStatus[status].requests}`).join(', ')} (hit ratio ${Math.round(ratio * 100)}%)`;
}

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Prometheus text (exposition format 0.0.4) of several edges' counts. */
export function renderEdgeCacheMetrics(edges: ReadonlyMap<string, EdgeCacheStats>): string {
  const families = [
    {
      name: 'faultline_edge_requests_total',
      help: 'Requests the CDN edge answered, by cache status (X-Cache; NONE: not cacheable, e.g. writes and non-media paths).',
      type: 'counter',
      value: (s: CacheStatusStats) => s.requests,
    },
    {
      name: 'faultline_edge_request_seconds_total',
      help: 'Total time the edge took to answer (nginx $request_time), by cache status: divided by the requests, HIT versus MISS latency.',
      type: 'counter',
      value: (s: CacheStatusStats) => s.seconds,
    },
    { name: 'faultline_edge_sent_bytes_total', help: 'Body bytes the edge sent, by cache status.', type: 'counter', value: (s: CacheStatusStats) => s.bytes },
  ];
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const [edge, stats] of edges) {
      for (const status of CACHE_STATUSES) {
        lines.push(`${family.name}{edge="${escapeLabel(edge)}",cache="${status}"} ${family.value(stats.byStatus[status])}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
