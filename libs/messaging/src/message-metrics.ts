import { Counter, Histogram, type Registry } from 'prom-client';

export type HandlerOutcome = 'ok' | 'refused' | 'invalid' | 'error' | 'expired';

/** Rate, errors and latency per message handler: `faultline_messages_handled_total`, `…_duration_seconds`. */
export class MessageMetrics {
  private readonly handled: Counter<'pattern' | 'outcome'>;
  private readonly duration: Histogram<'pattern' | 'outcome'>;

  constructor(registry: Registry) {
    this.handled = new Counter({
      name: 'faultline_messages_handled_total',
      help: 'Requests handled per NATS pattern and outcome (refused: a domain error such as EMAIL_TAKEN; invalid: the message failed validation; expired: the caller\'s deadline passed first).',
      labelNames: ['pattern', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'faultline_message_handler_duration_seconds',
      help: 'Time a message handler took, per pattern and outcome.',
      labelNames: ['pattern', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(pattern: string, outcome: HandlerOutcome, seconds: number): void {
    this.handled.inc({ pattern, outcome });
    this.duration.observe({ pattern, outcome }, seconds);
  }
}
