import { describe, expect, it } from '@jest/globals';
import { buildHistory } from './history.builder.js';
import { HistoryInvalidError } from './history.errors.js';
import { parseHistory, serializeHistory } from './history.jsonl.js';

describe('history.jsonl', () => {
  const history = buildHistory([
    { process: 0, f: 'register', start: 0, end: 12.5, value: { name: 'ada', requestId: 'r1' }, result: { userId: 'u1', status: 201 } },
    { process: 1, f: 'upload', start: 3, end: 9, type: 'info', error: { code: 'TIMEOUT', message: 'no answer in 5 s' } },
    { process: 2, f: 'read', start: 4 },
  ]);

  it('writes one entry per line and reads back the same history, extra value fields included', () => {
    const text = serializeHistory(history);
    expect(text.split('\n')).toHaveLength(history.length + 1);
    expect(parseHistory(text)).toEqual(history);
  });

  it('skips blank lines (a file appended to by several runs of the writer)', () => {
    expect(parseHistory(`\n${serializeHistory(history)}\n\n`)).toEqual(history);
  });

  it('names the line of an entry that is not JSON', () => {
    const text = `${serializeHistory(history.slice(0, 1))}{"type":"ok",\n`;
    expect(() => parseHistory(text)).toThrow(new HistoryInvalidError('not JSON', 2));
  });

  it.each([
    ['a fail without its error', { type: 'fail', process: 0, index: 0, time: 0, f: 'read', value: {} }, 'error'],
    ['an unknown kind of operation', { type: 'invoke', process: 0, index: 0, time: 0, f: 'delete', value: {} }, 'f'],
    ['an unknown entry type', { type: 'crash', process: 0, index: 0, time: 0, f: 'read', value: {} }, 'type'],
    ['a negative time', { type: 'invoke', process: 0, index: 0, time: -1, f: 'read', value: {} }, 'time'],
    ['a version that is not an integer', { type: 'ok', process: 0, index: 0, time: 0, f: 'read', value: { version: 1.5 } }, 'value.version'],
  ])('refuses %s, naming the field and the line', (_, entry, field) => {
    const error = (() => {
      try {
        parseHistory(JSON.stringify(entry));
      } catch (e) {
        return e as HistoryInvalidError;
      }
      throw new Error('parsed');
    })();
    expect(error.code).toBe('HISTORY_INVALID');
    expect(error.line).toBe(1);
    expect(error.message).toContain(field);
  });
});
