import { describe, expect, it } from '@jest/globals';
import { decodeNewToxic } from '../api/toxic-input.js';
import { FaultProxy } from '../core/fault-proxy.js';
import { renderProxyMetrics } from './prometheus-text.js';

describe('renderProxyMetrics', () => {
  it('writes every family with HELP/TYPE and escapes label values', () => {
    const proxy = new FaultProxy('we"ird\\name', '127.0.0.1:1', 'db:5432', Math.random);
    proxy.addToxic(decodeNewToxic('{"type": "latency", "toxicity": 0.3}', () => false));
    const text = renderProxyMetrics([proxy], { residentMemoryBytes: 10, heapUsedBytes: 5 });
    expect(text).toContain('# TYPE toxiproxy_proxy_received_bytes_total counter');
    expect(text).toContain(
      'toxiproxy_proxy_sent_bytes_total{direction="downstream",proxy="we\\"ird\\\\name",listener="127.0.0.1:1",upstream="db:5432"} 0',
    );
    expect(text).toContain('faultline_proxy_enabled{proxy="we\\"ird\\\\name"} 0');
    expect(text).toContain('faultline_proxy_active_toxics{proxy="we\\"ird\\\\name",direction="downstream"} 1');
    expect(text).toContain('toxicity="0.3"');
    expect(text).toContain('process_resident_memory_bytes 10\n');
    expect(text.endsWith('\n')).toBe(true);
  });
});
