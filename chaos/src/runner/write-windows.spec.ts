import { describe, expect, it } from '@jest/globals';
import { checkSplitBrain } from '../checkers/split-brain.checker.js';
import { writeWindowsFromSamples, type WritableSample } from './write-windows.js';

const samples = (node: string, pattern: string, shard = 0): WritableSample[] => [...pattern].map((c, i) => ({ shard, node, at: i * 1000, writable: c === 'W' }));

describe('writeWindowsFromSamples', () => {
  it('makes one window per run of writable samples', () => {
    expect(writeWindowsFromSamples(samples('a', 'WWW..WW'))).toEqual([
      { shard: 0, node: 'a', acceptedWritesFrom: 0, acceptedWritesUntil: 2000 },
      { shard: 0, node: 'a', acceptedWritesFrom: 5000, acceptedWritesUntil: 6000 },
    ]);
  });

  it('a clean failover has no overlap; a one-sample blip of the old primary is not counted', () => {
    const failover = [...samples('a', 'WWW......'), ...samples('b', '....WWWWW'), ...samples('a', '.......W.')];
    expect(checkSplitBrain({ windows: writeWindowsFromSamples(failover) }).observed.overlaps).toBe(0);
  });

  it('two nodes writable over two samples is split brain', () => {
    const both = [...samples('a', 'WWWW....'), ...samples('b', '..WWWWWW')];
    expect(checkSplitBrain({ windows: writeWindowsFromSamples(both) }).observed).toMatchObject({ overlaps: 1, longestOverlapMs: 1000 });
  });

  it('keeps shards apart', () => {
    const two = [...samples('a', 'WWW', 0), ...samples('c', 'WWW', 1)];
    expect(checkSplitBrain({ windows: writeWindowsFromSamples(two) }).observed.overlaps).toBe(0);
  });
});
