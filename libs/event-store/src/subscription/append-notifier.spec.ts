import { describe, expect, it } from '@jest/globals';
import { AppendNotifier } from './append-notifier.js';

describe('AppendNotifier', () => {
  it('keeps one NOTIFY in flight and sends one more after it when appends happened meanwhile', async () => {
    const releases: (() => void)[] = [];
    let secondSent!: () => void;
    const second = new Promise<void>((resolve) => (secondSent = resolve));
    let sent = 0;
    const notifier = new AppendNotifier(() => {
      if (++sent === 2) secondSent();
      return new Promise<void>((resolve) => releases.push(resolve));
    });
    notifier.signal();
    notifier.signal();
    notifier.signal();
    expect(sent).toBe(1);
    releases.shift()!();
    await second; // the trailing one, for the appends made while the first was in flight
    releases.shift()!();
    await notifier.idle();
    expect(sent).toBe(2);
  });

  it('ignores a failed NOTIFY (subscribers poll anyway) and keeps working', async () => {
    let calls = 0;
    const notifier = new AppendNotifier(async () => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
    });
    notifier.signal();
    await notifier.idle();
    notifier.signal();
    await notifier.idle();
    expect(calls).toBe(2);
  });
});
