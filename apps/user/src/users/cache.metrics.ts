import { Counter, type Registry } from 'prom-client';

export type CacheResult = 'hit' | 'miss' | 'error';

const NAME = 'faultline_cache_requests_total';

/**
 * `faultline_cache_requests_total{cache, result}`: cache lookups by outcome; the hit ratio is
 * hit / (hit + miss + error). One counter per registry, shared by every cache registered on it.
 */
export class CacheMetrics {
  private readonly requests: Counter<'cache' | 'result'>;

  constructor(
    registry: Registry,
    private readonly cache: string,
  ) {
    const existing = registry.getSingleMetric(NAME);
    this.requests =
      (existing as Counter<'cache' | 'result'> | undefined) ??
      new Counter({
        name: NAME,
        help: 'Cache lookups by cache and result (hit, miss, or error: the cache was unusable and the database answered).',
        labelNames: ['cache', 'result'],
        registers: [registry],
      });
    // Zero series from the start: a ratio over a missing series is no ratio at all.
    for (const result of ['hit', 'miss', 'error'] as const) this.requests.inc({ cache, result }, 0);
  }

  record(result: CacheResult): void {
    this.requests.inc({ cache: this.cache, result });
  }
}
