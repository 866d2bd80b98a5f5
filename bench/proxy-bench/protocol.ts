/** Messages between the benchmark's proxy process and its load process (over the fork IPC channel). */

export type LoadCommand =
  | { readonly kind: 'bulk'; readonly port: number; readonly bytes: number }
  | { readonly kind: 'round-trips'; readonly port: number; readonly connections: number; readonly durationMs: number; readonly messageBytes: number }
  | { readonly kind: 'latency'; readonly port: number; readonly samples: number; readonly messageBytes: number }
  | { readonly kind: 'open-idle'; readonly port: number; readonly connections: number }
  | { readonly kind: 'close-idle' }
  | { readonly kind: 'exit' };

export interface BulkResult {
  readonly ms: number;
}

export interface RoundTripResult {
  readonly roundTrips: number;
  readonly ms: number;
  /** Share of a core the load process used in the window (1 = saturated: the load is the limit). */
  readonly loadCpuBusy: number;
}

export interface LatencyResult {
  /** Round-trip times in microseconds, sorted. */
  readonly samplesUs: number[];
}

export interface LoadReady {
  readonly kind: 'ready';
  /** Echoes what it reads (round trips, latency, idle connections). */
  readonly echoPort: number;
  /** Discards what it reads and answers one byte once the expected total arrived (bulk). */
  readonly sinkPort: number;
}

export interface LoadRequest {
  readonly id: number;
  readonly command: LoadCommand;
}

export interface LoadResponse {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}
