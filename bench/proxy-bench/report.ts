export interface Figures {
  readonly direct: number;
  readonly proxied: number;
  /** A bare socket.pipe proxy in the same process, for reference. */
  readonly pipeProxy: number;
}

export interface BenchResult {
  readonly node: string;
  readonly cpus: number;
  readonly loadAverage: readonly number[];
  readonly repetitions: number;
  readonly bulk: Figures & { readonly megabytes: number; readonly ratio: number; readonly unit: 'MB/s' };
  readonly roundTrips: Figures & { readonly connections: number; readonly ratio: number; readonly unit: 'round trips/s' };
  readonly latencyP50: Figures & { readonly addedMs: number; readonly unit: 'ms' };
  readonly latencyP99: Figures & { readonly addedMs: number; readonly unit: 'ms' };
  /** Share of one core the proxy's process used while it carried the load (1 = saturated). */
  readonly proxyCpuBusy: { readonly bulk: number; readonly roundTrips: number };
  /** Share of a core the load process used during the round trips, per path (1 = it was the limit). */
  readonly loadCpuBusyDuringRoundTrips: Figures;
  /** Every repetition's figure, per path. */
  readonly samples: Record<'bulkMbPerSecond' | 'roundTripsPerSecond' | 'latencyP50Ms', { direct: number[]; proxied: number[]; pipeProxy: number[] }>;
  /** Memory of this process (the proxy's) for idle connections. */
  readonly idle: { readonly connections: number; readonly extraRssMb: number; readonly extraHeapMb: number; readonly perConnectionKb: number };
  readonly goals: Record<'bulkRatio' | 'roundTripRatio' | 'addedP50' | 'idleRss', { readonly goal: string; readonly met: boolean }>;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const grouped = (value: number): string => Math.round(value).toLocaleString('en-US');
const mark = (met: boolean): string => (met ? 'ok' : 'MISSED');
const signed = (value: number, digits: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

export function formatTable(result: BenchResult): string {
  const rows: string[][] = [
    ['', 'direct', 'via proxy', 'ratio / added', 'goal', '', 'bare pipe proxy'],
    [
      `bulk, 1 connection (${result.bulk.megabytes} MB)`,
      `${grouped(result.bulk.direct)} MB/s`,
      `${grouped(result.bulk.proxied)} MB/s`,
      `${result.bulk.ratio.toFixed(2)}×`,
      result.goals.bulkRatio.goal,
      mark(result.goals.bulkRatio.met),
      `${grouped(result.bulk.pipeProxy)} MB/s (${(result.bulk.pipeProxy / result.bulk.direct).toFixed(2)}×)`,
    ],
    [
      `round trips, ${result.roundTrips.connections} connections`,
      `${grouped(result.roundTrips.direct)}/s`,
      `${grouped(result.roundTrips.proxied)}/s`,
      `${result.roundTrips.ratio.toFixed(2)}×`,
      result.goals.roundTripRatio.goal,
      mark(result.goals.roundTripRatio.met),
      `${grouped(result.roundTrips.pipeProxy)}/s (${(result.roundTrips.pipeProxy / result.roundTrips.direct).toFixed(2)}×)`,
    ],
    [
      'latency p50 (1 connection)',
      `${result.latencyP50.direct.toFixed(3)} ms`,
      `${result.latencyP50.proxied.toFixed(3)} ms`,
      `${signed(result.latencyP50.addedMs, 3)} ms`,
      result.goals.addedP50.goal,
      mark(result.goals.addedP50.met),
      `${result.latencyP50.pipeProxy.toFixed(3)} ms`,
    ],
    [
      'latency p99 (1 connection)',
      `${result.latencyP99.direct.toFixed(3)} ms`,
      `${result.latencyP99.proxied.toFixed(3)} ms`,
      `${signed(result.latencyP99.addedMs, 3)} ms`,
      '',
      '',
      `${result.latencyP99.pipeProxy.toFixed(3)} ms`,
    ],
    [
      `idle RSS, ${result.idle.connections} connections`,
      '',
      `${signed(result.idle.extraRssMb, 1)} MB`,
      `${result.idle.perConnectionKb.toFixed(1)} KB each (heap ${signed(result.idle.extraHeapMb, 1)} MB)`,
      result.goals.idleRss.goal,
      mark(result.goals.idleRss.met),
      '',
    ],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   ').trimEnd());
  return [
    `faultline fault proxy, no toxics — Node ${result.node}, ${result.cpus} CPUs, load average ${result.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
    `(medians of ${result.repetitions} repetitions; proxy and load generator in separate processes)`,
    '',
    ...lines,
    '',
    `proxy process busy: ${(result.proxyCpuBusy.bulk * 100).toFixed(0)}% of a core during bulk, ${(result.proxyCpuBusy.roundTrips * 100).toFixed(0)}% during round trips`,
    `load process busy during round trips: ${(['direct', 'proxied', 'pipeProxy'] as const)
      .map((path) => `${(result.loadCpuBusyDuringRoundTrips[path] * 100).toFixed(0)}% ${path}`)
      .join(', ')}`,
  ].join('\n');
}
