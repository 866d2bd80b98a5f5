import { describe, expect, it } from '@jest/globals';
import type { FaultHistoryLine } from '#chaos';
import { faultedLinksOf, faultWindows } from './fault-windows.js';
import { faultRecord } from './testing/lab.fixtures.js';

const line = (id: string, event: 'injected' | 'healed', at: string): FaultHistoryLine => ({ id, event, at, kind: 'latency', label: `fault ${id}`, target: 'x' });
const ms = (iso: string) => Date.parse(iso);

describe('fault windows from the fault ledger', () => {
  it('pairs injected and healed lines; a fault still in the ledger stays open', () => {
    const history = [line('f1', 'injected', '2026-11-27T08:00:00Z'), line('f1', 'healed', '2026-11-27T08:00:30Z'), line('f2', 'injected', '2026-11-27T08:01:00Z')];
    const windows = faultWindows(history, [faultRecord('f2', ['a->b'], '2026-11-27T08:01:00Z')], 0);
    expect(windows).toEqual([
      { id: 'f1', kind: 'latency', label: 'fault f1', start: ms('2026-11-27T08:00:00Z'), end: ms('2026-11-27T08:00:30Z') },
      { id: 'f2', kind: 'latency', label: 'fault f2', start: ms('2026-11-27T08:01:00Z'), end: null },
    ]);
  });

  it('leaves out windows that ended before the charts’ range, keeps those that overlap it', () => {
    const history = [line('old', 'injected', '2026-11-27T07:00:00Z'), line('old', 'healed', '2026-11-27T07:01:00Z'), line('edge', 'injected', '2026-11-27T07:59:00Z'), line('edge', 'healed', '2026-11-27T08:00:10Z')];
    expect(faultWindows(history, [], ms('2026-11-27T08:00:00Z')).map((w) => w.id)).toEqual(['edge']);
  });

  it('an applied fault without its history line yet is open from when it took effect', () => {
    expect(faultWindows([], [faultRecord('f3', ['a->b'], '2026-11-27T08:02:00Z')], 0)).toEqual([
      { id: 'f3', kind: 'timeout', label: 'blackhole on 1 links', start: ms('2026-11-27T08:02:00Z'), end: null },
    ]);
  });

  it('a window open in the history but gone from the ledger (healed by a crashed command) is not drawn as still going', () => {
    const [w] = faultWindows([line('f4', 'injected', '2026-11-27T08:03:00Z')], [], 0);
    expect(w!.end).toBe(w!.start);
  });

  it('maps each faulted link to the faults on it', () => {
    const byLink = faultedLinksOf([faultRecord('f1', ['a->b', 'b->a'], '2026-11-27T08:00:00Z'), faultRecord('f2', ['a->b'], '2026-11-27T08:00:01Z')]);
    expect(Object.fromEntries(byLink)).toEqual({ 'a->b': ['f1', 'f2'], 'b->a': ['f1'] });
  });
});
