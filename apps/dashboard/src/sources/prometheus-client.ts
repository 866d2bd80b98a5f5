import { PrometheusUnavailableError } from '../dashboard.errors.js';

export interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  /** NaN and ±Inf as Prometheus gives them. */
  readonly value: number;
}

export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [seconds: number, value: number])[];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: { resultType: string; result: T };
  error?: string;
}

/** Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), each call bounded by a timeout. */
export class PrometheusClient {
  constructor(
    readonly url: string,
    private readonly timeoutMs = 1_500,
  ) {}

  async query(promql: string, at?: number): Promise<VectorSample[]> {
    const result = await this.call<{ metric: Record<string, string>; value: [number, string] }[]>('query', { query: promql, ...(at !== undefined && { time: String(at) }) });
    return result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  async queryRange(promql: string, range: { start: number; end: number; stepSeconds: number }): Promise<MatrixSeries[]> {
    const result = await this.call<{ metric: Record<string, string>; values: [number, string][] }[]>('query_range', {
      query: promql,
      start: String(range.start),
      end: String(range.end),
      step: String(range.stepSeconds),
    });
    return result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as const) }));
  }

  private async call<T>(endpoint: string, params: Record<string, string>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PrometheusUnavailableError(`Prometheus at ${this.url} does not answer (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    let answer: ApiAnswer<T>;
    try {
      answer = (await response.json()) as ApiAnswer<T>;
    } catch (error) {
      throw new PrometheusUnavailableError(`Prometheus at ${this.url} answered ${response.status} without JSON`, { cause: error });
    }
    if (answer.status !== 'success' || !answer.data) throw new PrometheusUnavailableError(`Prometheus at ${this.url} refused a query: ${answer.error ?? `HTTP ${response.status}`}`);
    return answer.data.result;
  }
}
