import { describe, expect, it } from '@jest/globals';
import { WorkGate } from './work-gate.js';

/** A piece of work that ends when the test says so. */
const controllable = () => {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    work: async () => {
      started = true;
      await done;
    },
    finish,
    get started() {
      return started;
    },
  };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkGate', () => {
  it('runs at most `concurrency` pieces of work at once, the others in arrival order', async () => {
    const gate = new WorkGate(2);
    const [a, b, c, d] = [controllable(), controllable(), controllable(), controllable()];
    const runs = [a, b, c, d].map((piece) => gate.run(piece.work));
    await settle();
    expect([a.started, b.started, c.started, d.started]).toEqual([true, true, false, false]);
    expect(gate.queued).toBe(2);
    b.finish();
    await settle();
    expect([c.started, d.started]).toEqual([true, false]);
    a.finish();
    c.finish();
    d.finish();
    await Promise.all(runs);
    expect(gate.queued).toBe(0);
  });

  it('drops a waiter whose signal aborts, without running its work, and keeps the slot count right', async () => {
    const gate = new WorkGate(1);
    const [first, abandoned, next] = [controllable(), controllable(), controllable()];
    const controller = new AbortController();
    const runFirst = gate.run(first.work);
    const runAbandoned = gate.run(abandoned.work, controller.signal);
    const runNext = gate.run(next.work);
    controller.abort(new Error('the caller left'));
    await expect(runAbandoned).rejects.toThrow('the caller left');
    expect(gate.queued).toBe(1);
    first.finish();
    await settle();
    expect(abandoned.started).toBe(false);
    expect(next.started).toBe(true);
    next.finish();
    await Promise.all([runFirst, runNext]);
    // The slot is free again, and only one: of two new pieces, one starts.
    const [x, y] = [controllable(), controllable()];
    const more = [gate.run(x.work), gate.run(y.work)];
    await settle();
    expect([x.started, y.started]).toEqual([true, false]);
    x.finish();
    y.finish();
    await Promise.all(more);
  });

  it('refuses at once when the signal has already aborted', async () => {
    const gate = new WorkGate(1);
    const piece = controllable();
    await expect(gate.run(piece.work, AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
    expect(piece.started).toBe(false);
  });

  it('frees the slot when the work fails', async () => {
    const gate = new WorkGate(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'ran')).resolves.toBe('ran');
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => new WorkGate(0)).toThrow(RangeError);
    expect(() => new WorkGate(1.5)).toThrow(RangeError);
  });
});
