import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpRequestLabels {
  /** The route pattern (`/v1/users/:id`), never the raw URL: label values must stay few. */
  readonly route: string;
  readonly method: string;
  readonly status: number;
}

type LabelName = 'route' | 'method' | 'status';

/** Request rate, errors and latency per route: `http_requests_total`, `http_request_duration_seconds`. */
export class HttpMetrics {
  private readonly requests: Counter<LabelName>;
  private readonly duration: Histogram<LabelName>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to sending its response, by route pattern, method and status code.',
      labelNames: ['route', 'method', 'status'],
      // Loopback requests take well under a millisecond; the default buckets start at 5 ms.
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(labels: HttpRequestLabels, seconds: number): void {
    const values = { route: labels.route, method: labels.method, status: String(labels.status) };
    this.requests.inc(values);
    this.duration.observe(values, seconds);
  }
}
