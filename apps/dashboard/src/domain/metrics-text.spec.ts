import { describe, expect, it } from '@jest/globals';
import { renderFaultMetrics } from './metrics-text.js';

describe('the fault ledger as Prometheus gauges', () => {
  it('one gauge per active fault and the count', () => {
    const text = renderFaultMetrics([
      { id: 'f1', kind: 'latency', target: 'dc-a->dc-b' },
      { id: 'f2', kind: 'timeout', target: 'dc-a ↔ dc-b' },
    ]);
    expect(text).toContain('# TYPE faultline_fault_active gauge\n');
    expect(text).toContain('faultline_fault_active{fault_id="f1",kind="latency",target="dc-a->dc-b"} 1\n');
    expect(text).toContain('faultline_fault_active{fault_id="f2",kind="timeout",target="dc-a ↔ dc-b"} 1\n');
    expect(text).toContain('faultline_faults_active 2\n');
  });

  it('escapes what a user typed as a target, so it cannot forge series', () => {
    const text = renderFaultMetrics([{ id: 'f1', kind: 'latency', target: 'a"} 1\nfaultline_faults_active{x="\\' }]);
    expect(text).toContain('target="a\\"} 1\\nfaultline_faults_active{x=\\"\\\\"} 1\n');
    expect(text.split('\n').filter((line) => line.startsWith('faultline_faults_active'))).toEqual(['faultline_faults_active 1']);
  });

  it('no fault: the count is 0', () => {
    expect(renderFaultMetrics([])).toContain('faultline_faults_active 0\n');
  });
});
