import { describe, expect, it } from '@jest/globals';
import { completedOperations } from './completed-operations.js';
import { HistoryRecorder } from './history.recorder.js';

/** A clock the test moves by hand. */
const manualClock = () => {
  let now = 0;
  return { now: () => now, set: (ms: number) => (now = ms) };
};

describe('HistoryRecorder', () => {
  it('records invokes and completions with the clock’s times, in a history that pairs', () => {
    const clock = manualClock();
    const recorder = new HistoryRecorder(clock.now);
    const register = recorder.invoke(0, 'register', { name: 'ada' });
    clock.set(5);
    const read = recorder.invoke(1, 'read', { userId: 'u0' });
    clock.set(7);
    read.info({ code: 'TIMEOUT' });
    clock.set(9);
    register.ok({ userId: 'u1' });

    expect(recorder.entries.map((e) => [e.index, e.time, e.process, e.type])).toEqual([
      [0, 0, 0, 'invoke'],
      [1, 5, 1, 'invoke'],
      [2, 7, 1, 'info'],
      [3, 9, 0, 'ok'],
    ]);
    expect(completedOperations(recorder.entries).map((op) => [op.f, op.type, op.value])).toEqual([
      ['register', 'ok', { name: 'ada', userId: 'u1' }],
      ['read', 'info', { userId: 'u0' }],
    ]);
  });

  it('never lets time run backwards, even when the clock does', () => {
    const clock = manualClock();
    const recorder = new HistoryRecorder(clock.now);
    clock.set(10);
    const op = recorder.invoke(0, 'read');
    clock.set(4);
    op.fail({ code: 'SHARD_UNAVAILABLE' });
    expect(recorder.entries.map((e) => e.time)).toEqual([10, 10]);
  });

  it('refuses a second operation in flight on one process, and a second completion', () => {
    const recorder = new HistoryRecorder(() => 0);
    const op = recorder.invoke(0, 'read');
    expect(() => recorder.invoke(0, 'update')).toThrow(expect.objectContaining({ code: 'HISTORY_INVALID' }));
    op.ok();
    expect(() => op.ok()).toThrow(expect.objectContaining({ code: 'HISTORY_INVALID' }));
    expect(recorder.entries).toHaveLength(2);
  });
});
