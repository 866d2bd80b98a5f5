import { describe, expect, it } from '@jest/globals';
import { buildHistory } from '../history/history.builder.js';
import { checkSplitBrain, writeWindowsOf } from './split-brain.checker.js';
import type { NodeWriteWindow } from './store-snapshot.js';

const window = (shard: number, node: string, from: number, until: number): NodeWriteWindow => ({ shard, node, acceptedWritesFrom: from, acceptedWritesUntil: until });

describe('checkSplitBrain', () => {
  it('passes a failover: the new primary starts accepting writes when the old one has stopped', () => {
    const windows = [window(0, 'shard0-1', 0, 5000), window(0, 'shard0-2', 5000, 9000), window(1, 'shard1-1', 0, 9000)];
    const result = checkSplitBrain({ windows });
    expect(result).toMatchObject({ name: 'split-brain', passed: true, violations: [] });
    expect(result.observed).toEqual({ shards: 2, windows: 3, overlaps: 0, longestOverlapMs: 0 });
  });

  it('flags two nodes of one shard accepting writes at once, with the acknowledged writes of the overlap as witness', () => {
    const history = buildHistory([
      { process: 0, f: 'update', start: 3000, end: 3100, value: { shard: 0, userId: 'a', name: 'a-1' } },
      { process: 1, f: 'update', start: 3500, end: 3600, value: { shard: 1, userId: 'b', name: 'b-1' } },
      { process: 2, f: 'update', start: 4500, end: 4600, value: { shard: 0, userId: 'c', name: 'c-1' } },
      { process: 3, f: 'update', start: 4700, end: 4800, value: { shard: 0, userId: 'd', name: 'd-1' } },
    ]);
    const windows = [window(0, 'shard0-1', 0, 5000), window(0, 'shard0-2', 3000, 9000)];
    const result = checkSplitBrain({ windows, history });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatchObject({ overlaps: 1, longestOverlapMs: 2000 });
    const [violation] = result.violations;
    expect(violation!.description).toBe('shard 0: shard0-1 and shard0-2 both accepted writes for 2000 ms');
    expect(violation!.evidence).toEqual({ windows, overlap: { from: 3000, until: 5000 } });
    // The first two acknowledged writes on shard 0 in the overlap, not shard 1's.
    expect(violation!.witness).toEqual(history.filter((e) => e.process === 0 || e.process === 2));
  });

  it('tolerates overlaps within the clock granularity, and a node’s own consecutive windows', () => {
    const windows = [window(0, 'n1', 0, 5010), window(0, 'n2', 5000, 9000), window(0, 'n1', 100, 200)];
    expect(checkSplitBrain({ windows, toleranceMs: 10 }).passed).toBe(true);
    expect(checkSplitBrain({ windows }).passed).toBe(false);
  });
});

describe('writeWindowsOf', () => {
  it('makes one window per node and shard from commit times', () => {
    const writes = [
      { shard: 0, node: 'n1', at: 30 },
      { shard: 0, node: 'n1', at: 10 },
      { shard: 1, node: 'n1', at: 20 },
    ];
    expect(writeWindowsOf(writes)).toEqual([window(0, 'n1', 10, 30), window(1, 'n1', 20, 20)]);
  });

  it('splits a node’s writes at pauses longer than the gap, so failing back is not read as overlapping everything between', () => {
    const writes = [0, 100, 200, 5000, 5100].map((at) => ({ shard: 0, node: 'n1', at }));
    expect(writeWindowsOf(writes, 1000)).toEqual([window(0, 'n1', 0, 200), window(0, 'n1', 5000, 5100)]);
    const failover = [...writes, { shard: 0, node: 'n2', at: 1000 }, { shard: 0, node: 'n2', at: 4000 }];
    expect(checkSplitBrain({ windows: writeWindowsOf(failover, 1000) }).passed).toBe(true);
    expect(checkSplitBrain({ windows: writeWindowsOf(failover) }).passed).toBe(false);
  });
});
