import { describe, expect, it } from '@jest/globals';
import { toxicsFor } from './registry.js';

describe('toxicsFor', () => {
  it('names every toxic after its fault and stream, so an undo removes exactly those', () => {
    const toxics = toxicsFor('f7', { kind: 'bandwidth', links: ['a->b'], rateKBps: 64 });
    expect(toxics.map((t) => [t.name, t.type, t.stream, t.attributes])).toEqual([
      ['fl-f7-upstream', 'bandwidth', 'upstream', { rate: 64 }],
      ['fl-f7-downstream', 'bandwidth', 'downstream', { rate: 64 }],
    ]);
  });

  it('makes a partition a blackhole in both directions, never a reset', () => {
    const toxics = toxicsFor('f8', { kind: 'timeout', links: ['a->b'] });
    expect(toxics.map((t) => [t.type, t.stream, t.attributes])).toEqual([
      ['timeout', 'upstream', { timeout: 0 }],
      ['timeout', 'downstream', { timeout: 0 }],
    ]);
  });

  it('adds latency with jitter to the answers only, and nothing for a link taken down', () => {
    expect(toxicsFor('f9', { kind: 'latency', links: ['a->b'], ms: 200, jitterMs: 50 })).toEqual([
      { name: 'fl-f9-downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 200, jitter: 50 } },
    ]);
    expect(toxicsFor('f10', { kind: 'link-down', links: ['a->b'] })).toEqual([]);
  });
});
