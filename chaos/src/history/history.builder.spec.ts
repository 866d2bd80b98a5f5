import { describe, expect, it } from '@jest/globals';
import { buildHistory } from './history.builder.js';

describe('buildHistory', () => {
  it('interleaves invokes and completions in time order and numbers them', () => {
    const history = buildHistory([
      { process: 0, f: 'update', start: 0, end: 50 },
      { process: 1, f: 'read', start: 10, end: 20, type: 'info', error: { code: 'TIMEOUT' } },
    ]);
    expect(history.map((e) => [e.index, e.process, e.type, e.time])).toEqual([
      [0, 0, 'invoke', 0],
      [1, 1, 'invoke', 10],
      [2, 1, 'info', 20],
      [3, 0, 'ok', 50],
    ]);
  });

  it('lets a process invoke at the instant its previous operation completed, and keeps an instant operation’s invoke first', () => {
    const history = buildHistory([
      { process: 0, f: 'read', start: 10, end: 10 },
      { process: 0, f: 'update', start: 0, end: 10 },
    ]);
    expect(history.map((e) => `${e.f}:${e.type}`)).toEqual(['update:invoke', 'update:ok', 'read:invoke', 'read:ok']);
  });

  it('gives fail and info completions a default error', () => {
    const history = buildHistory([
      { process: 0, f: 'read', start: 0, end: 1, type: 'fail' },
      { process: 1, f: 'read', start: 0, end: 2, type: 'info' },
    ]);
    expect(history.filter((e) => e.type !== 'invoke')).toEqual([
      expect.objectContaining({ type: 'fail', error: { code: 'FAILED' } }),
      expect.objectContaining({ type: 'info', error: { code: 'TIMEOUT' } }),
    ]);
  });
});
