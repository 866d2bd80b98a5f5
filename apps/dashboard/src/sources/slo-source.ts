import { errorRatioSeries, loadSlos, SHIPPED_SLO_DIR, sloStatus, sloWindows, type Slo } from '#libs/slo';
import type { SloView } from '../domain/snapshot.model.js';
import { taggedUnion } from '../domain/promql.js';
import type { PrometheusClient } from './prometheus-client.js';

const keyOf = (slo: string, window: string): string => `${slo}|${window}`;

/**
 * The shipped SLOs with their status now: each SLO's error ratio per nominal window, read from the recorded
 * series in Prometheus in one query, then burn rates, budget and alert state computed by libs/slo. When
 * Prometheus cannot answer, every SLO is still listed, with no data.
 */
export class SloSource {
  private definitions: Slo[] | undefined;

  constructor(private readonly dir?: string) {}

  async read(prometheus: PrometheusClient | undefined, timeScale: number): Promise<{ views: SloView[]; error: string | null }> {
    this.definitions ??= loadSlos(this.dir ?? SHIPPED_SLO_DIR);
    const slos = this.definitions;
    let ratios = new Map<string, number>();
    let error: string | null = null;
    if (!prometheus) error = 'no SLO data: Prometheus is not available.';
    else {
      try {
        const parts = slos.flatMap((slo) => sloWindows(slo).map((window) => ({ key: keyOf(slo.name, window), query: errorRatioSeries(slo.name, window) })));
        const samples = parts.length === 0 ? [] : await prometheus.query(taggedUnion(parts));
        ratios = new Map(samples.filter((s) => Number.isFinite(s.value) && s.labels.fl_key).map((s) => [s.labels.fl_key!, s.value]));
      } catch (e) {
        error = `no SLO data: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const views = slos.map((slo): SloView => {
      const byWindow = Object.fromEntries(sloWindows(slo).map((window) => [window, ratios.get(keyOf(slo.name, window)) ?? null]));
      const status = sloStatus(slo, byWindow, { timeScale });
      return {
        name: slo.name,
        displayName: slo.displayName,
        service: slo.service,
        description: slo.description,
        target: status.target,
        sli: status.sli,
        budgetRemaining: status.budgetRemaining,
        burnRates: status.burnRates,
        alerts: status.alerts,
        timeToExhaustionSeconds: status.timeToExhaustionSeconds,
        alertState: status.alertState,
      };
    });
    return { views, error };
  }
}
