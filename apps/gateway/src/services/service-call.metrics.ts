import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker.js';

export type CallOutcome = 'ok' | 'refused' | 'timeout' | 'error' | 'circuit_open';

/** Calls from the gateway to the services over NATS, as the gateway sees them. */
export class ServiceCallMetrics {
  private readonly calls: Counter<'pattern' | 'outcome'>;
  private readonly duration: Histogram<'pattern'>;
  private readonly retries: Counter<'pattern'>;
  private readonly circuit: Gauge<'service' | 'state'>;

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: 'faultline_service_calls_total',
      help: 'Requests to a service over NATS by pattern and outcome (refused: the service answered with an error).',
      labelNames: ['pattern', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'faultline_service_call_duration_seconds',
      help: 'Time from sending a request to a service until its answer, all attempts included.',
      labelNames: ['pattern'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'faultline_service_call_retries_total',
      help: 'Attempts repeated after a timeout, within the retry budget.',
      labelNames: ['pattern'],
      registers: [registry],
    });
    this.circuit = new Gauge({
      name: 'faultline_circuit_state',
      help: 'The circuit breaker per service: 1 for its current state.',
      labelNames: ['service', 'state'],
      registers: [registry],
    });
  }

  observe(pattern: string, outcome: CallOutcome, seconds: number): void {
    this.calls.inc({ pattern, outcome });
    if (outcome === 'ok' || outcome === 'refused') this.duration.observe({ pattern }, seconds);
  }

  retried(pattern: string): void {
    this.retries.inc({ pattern });
  }

  circuitState(service: string, state: CircuitState): void {
    for (const candidate of ['closed', 'open', 'half-open'] as const) this.circuit.set({ service, state: candidate }, candidate === state ? 1 : 0);
  }
}
