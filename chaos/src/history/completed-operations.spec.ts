import { describe, expect, it } from '@jest/globals';
import { completedOperations, entriesOf } from './completed-operations.js';
import { buildHistory } from './history.builder.js';
import { isHistoryInvalidError } from './history.errors.js';
import type { HistoryEntry } from './operation.js';

const entry = (e: Omit<HistoryEntry, 'value'> & { value?: HistoryEntry['value'] }): HistoryEntry => ({ value: {}, ...e }) as HistoryEntry;

describe('completedOperations', () => {
  it('pairs each invoke with its process’s completion and overlays the acknowledgement on the inputs', () => {
    const history = buildHistory([
      { process: 0, f: 'register', start: 0, end: 30, value: { name: 'ada', requestId: 'r1' }, result: { userId: 'u1' } },
      { process: 1, f: 'read', start: 10, end: 20, type: 'fail', value: { userId: 'u0' }, error: { code: 'USER_NOT_FOUND' } },
    ]);
    const [register, read] = completedOperations(history);
    expect(register).toMatchObject({ process: 0, type: 'ok', start: 0, end: 30, value: { name: 'ada', requestId: 'r1', userId: 'u1' } });
    expect(register!.error).toBeUndefined();
    expect(read).toMatchObject({ process: 1, type: 'fail', start: 10, end: 20, error: { code: 'USER_NOT_FOUND' } });
    expect(entriesOf(register!).map((e) => e.type)).toEqual(['invoke', 'ok']);
  });

  it('counts an operation the run ended without completing as indefinite (info), not as failed', () => {
    const [op] = completedOperations(buildHistory([{ process: 3, f: 'update', start: 5 }]));
    expect(op).toMatchObject({ type: 'info', end: undefined, error: { code: 'INCOMPLETE' }, completion: undefined });
    expect(entriesOf(op!)).toHaveLength(1);
  });

  it.each<[string, HistoryEntry[]]>([
    ['a completion without an invoke', [entry({ type: 'ok', process: 0, index: 0, time: 0, f: 'read' })]],
    [
      'a second invoke while the first is in flight',
      [entry({ type: 'invoke', process: 0, index: 0, time: 0, f: 'read' }), entry({ type: 'invoke', process: 0, index: 1, time: 1, f: 'read' })],
    ],
    [
      'a completion of another kind of operation',
      [entry({ type: 'invoke', process: 0, index: 0, time: 0, f: 'read' }), entry({ type: 'ok', process: 0, index: 1, time: 1, f: 'update' })],
    ],
    [
      'time running backwards',
      [entry({ type: 'invoke', process: 0, index: 0, time: 9, f: 'read' }), entry({ type: 'ok', process: 0, index: 1, time: 8, f: 'read' })],
    ],
    [
      'an index that does not increase',
      [entry({ type: 'invoke', process: 0, index: 4, time: 0, f: 'read' }), entry({ type: 'ok', process: 0, index: 4, time: 1, f: 'read' })],
    ],
  ])('refuses a history with %s', (_, history) => {
    let error: unknown;
    try {
      completedOperations(history);
    } catch (e) {
      error = e;
    }
    expect(isHistoryInvalidError(error)).toBe(true);
  });
});
