import { describe, expect, it } from '@jest/globals';
import { errorRatioQuery, latencyQuantileQuery, promqlString, taggedUnion, throughputQuery } from './promql.js';

const gateway = { app: 'gateway', rateWindow: '10s' };

describe('PromQL builders of the dashboard charts', () => {
  it('throughput, error ratio and latency quantiles over the gateways’ http metrics', () => {
    expect(throughputQuery(gateway)).toBe('sum(rate(http_requests_total{app="gateway"}[10s]))');
    expect(errorRatioQuery(gateway)).toBe('sum(rate(http_requests_total{app="gateway",status=~"5.."}[10s])) / sum(rate(http_requests_total{app="gateway"}[10s]))');
    expect(latencyQuantileQuery(0.99, gateway)).toBe('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{app="gateway"}[10s])))');
  });

  it('escapes label values, so no value can end the string and add PromQL of its own', () => {
    expect(promqlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(throughputQuery({ app: 'x"} or vector(1) #', rateWindow: '10s' })).toBe('sum(rate(http_requests_total{app="x\\"} or vector(1) #"}[10s]))');
  });

  it('refuses a range or quantile that is not one', () => {
    expect(() => throughputQuery({ app: 'gateway', rateWindow: '10s]) or vector(1' })).toThrow('not a PromQL range');
    expect(() => latencyQuantileQuery(1.5, gateway)).toThrow('between 0 and 1');
  });

  it('tags each part of a union with its key, so one query answers them all distinguishably', () => {
    expect(taggedUnion([{ key: 'a', query: 'up' }, { key: 'b"', query: 'x' }])).toBe('label_replace(up, "fl_key", "a", "", "") or label_replace(x, "fl_key", "b\\"", "", "")');
  });
});
