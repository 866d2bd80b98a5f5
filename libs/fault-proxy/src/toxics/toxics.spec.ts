import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { bandwidthToxic } from './bandwidth.js';
import { latencyToxic } from './latency.js';
import { limitDataToxic } from './limit-data.js';
import { resetPeerToxic } from './reset-peer.js';
import { slicePieceLengths, slicerToxic } from './slicer.js';
import { slowCloseToxic } from './slow-close.js';
import { timeoutToxic } from './timeout.js';
import type { StreamEnd, ToxicHost } from './toxic-type.js';

/** A host that records what a toxic does, on jest's fake clock. */
class RecordingHost implements ToxicHost {
  readonly emitted: Array<{ text: string; at: number }> = [];
  ended: { how: StreamEnd; at: number } | undefined;
  closed = false;
  reset = false;
  readonly memory: Record<string, number> = {};

  constructor(
    readonly presentAtOpen = true,
    readonly random: () => number = () => 0.5,
  ) {}

  emit(chunk: { data: Buffer }): void {
    this.emitted.push({ text: chunk.data.toString(), at: performance.now() });
  }

  emitEnd(how: StreamEnd): void {
    this.ended ??= { how, at: performance.now() };
  }

  closeConnection(): void {
    this.closed = true;
    this.emitEnd('close');
  }

  resetConnection(): void {
    this.reset = true;
  }

  text(): string {
    return this.emitted.map((e) => e.text).join('');
  }
}

const chunk = (text: string) => ({ data: Buffer.from(text), arrivedAt: performance.now() });

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('latency', () => {
  it('delays each chunk from its arrival and keeps the order whatever jitter draws', () => {
    const draws = [0.99, 0.0, 0.5];
    const host = new RecordingHost(true, () => draws.shift() ?? 0.5);
    const start = performance.now();
    const toxic = latencyToxic.start(host, { latency: 100, jitter: 50 });
    toxic.write(chunk('a')); // 100 + 49
    toxic.write(chunk('b')); // 100 - 50, but not before a
    toxic.end('eof');
    jest.advanceTimersByTime(140);
    expect(host.emitted).toEqual([]);
    jest.advanceTimersByTime(20);
    expect(host.text()).toBe('ab');
    expect(host.emitted[0]!.at - start).toBeGreaterThanOrEqual(148);
    expect(host.ended?.how).toBe('eof');
  });

  it('hands everything on at once when released', () => {
    const host = new RecordingHost();
    const toxic = latencyToxic.start(host, { latency: 10_000, jitter: 0 });
    toxic.write(chunk('x'));
    toxic.write(chunk('y'));
    expect(toxic.heldBytes).toBe(2);
    toxic.release();
    expect(host.text()).toBe('xy');
    expect(toxic.heldBytes).toBe(0);
  });

  it('applies new attributes to what it holds', () => {
    const host = new RecordingHost();
    const toxic = latencyToxic.start(host, { latency: 10_000, jitter: 0 });
    toxic.write(chunk('x'));
    toxic.reconfigure({ latency: 50, jitter: 0 });
    jest.advanceTimersByTime(51);
    expect(host.text()).toBe('x');
  });
});

describe('bandwidth', () => {
  it('releases 20,000 B at 10 KB/s in 100 ms slices over 2 s', () => {
    const host = new RecordingHost();
    const start = performance.now();
    const toxic = bandwidthToxic.start(host, { rate: 10 });
    toxic.write({ data: Buffer.alloc(20_000), arrivedAt: start });
    jest.advanceTimersByTime(1000);
    expect(host.emitted.length).toBe(10);
    jest.advanceTimersByTime(1000);
    expect(host.emitted.length).toBe(20);
    expect(host.emitted.every((e) => e.text.length === 1000)).toBe(true);
    expect(host.emitted.at(-1)!.at - start).toBeCloseTo(2000, -1);
  });

  it('passes nothing at rate 0 until the rate changes', () => {
    const host = new RecordingHost();
    const toxic = bandwidthToxic.start(host, { rate: 0 });
    toxic.write(chunk('held'));
    toxic.end('eof');
    jest.advanceTimersByTime(60_000);
    expect(host.emitted).toEqual([]);
    toxic.reconfigure({ rate: 1 });
    jest.advanceTimersByTime(5);
    expect(host.text()).toBe('held');
    expect(host.ended?.how).toBe('eof');
  });
});

describe('slow_close', () => {
  it('passes data at once and the end after the delay', () => {
    const host = new RecordingHost();
    const toxic = slowCloseToxic.start(host, { delay: 300 });
    toxic.write(chunk('now'));
    expect(host.text()).toBe('now');
    toxic.end('eof');
    jest.advanceTimersByTime(299);
    expect(host.ended).toBeUndefined();
    jest.advanceTimersByTime(1);
    expect(host.ended?.how).toBe('eof');
  });
});

describe('timeout', () => {
  it('drops data and closes the connection after the timeout', () => {
    const host = new RecordingHost();
    timeoutToxic.start(host, { timeout: 200 }).write(chunk('dropped'));
    jest.advanceTimersByTime(199);
    expect(host.closed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(host.closed).toBe(true);
    expect(host.emitted).toEqual([]);
  });

  it('with 0 never closes, but closes when removed', () => {
    const host = new RecordingHost();
    const toxic = timeoutToxic.start(host, { timeout: 0 });
    jest.advanceTimersByTime(3_600_000);
    expect(host.closed).toBe(false);
    toxic.removed();
    expect(host.closed).toBe(true);
  });

  it('restarts its clock when changed; a re-roll away (release) does not close', () => {
    const host = new RecordingHost();
    const toxic = timeoutToxic.start(host, { timeout: 100 });
    jest.advanceTimersByTime(90);
    toxic.reconfigure({ timeout: 100 });
    jest.advanceTimersByTime(90);
    expect(host.closed).toBe(false);
    toxic.release();
    toxic.dispose();
    jest.advanceTimersByTime(1000);
    expect(host.closed).toBe(false);
  });
});

describe('reset_peer', () => {
  it('resets timeout ms after the first data when present at open', () => {
    const host = new RecordingHost(true);
    const toxic = resetPeerToxic.start(host, { timeout: 100 });
    toxic.write(chunk('first'));
    toxic.write(chunk('held'));
    jest.advanceTimersByTime(99);
    expect(host.reset).toBe(false);
    jest.advanceTimersByTime(1);
    expect(host.reset).toBe(true);
    expect(host.emitted).toEqual([]);
  });

  it('closes normally when added to an open connection, and on EOF too', () => {
    const host = new RecordingHost(false);
    resetPeerToxic.start(host, { timeout: 0 }).end('eof');
    expect(host.reset).toBe(false);
    expect(host.closed).toBe(true);
  });
});

describe('slicer', () => {
  it('cuts pieces around the average with the delay (µs) between them', () => {
    const host = new RecordingHost();
    const start = performance.now();
    const toxic = slicerToxic.start(host, { average_size: 10, size_variation: 0, delay: 2000 });
    toxic.write(chunk('x'.repeat(40)));
    expect(host.emitted.length).toBe(1);
    jest.advanceTimersByTime(10);
    expect(host.text()).toBe('x'.repeat(40));
    expect(host.emitted.map((e) => e.text.length)).toEqual([10, 10, 10, 10]);
    expect(host.emitted.at(-1)!.at - start).toBeCloseTo(6, 0);
  });

  it.each([
    [1000, 100, 20],
    [65536, 1, 0],
    [7, 0, 0],
    [500, -3, -9],
    [100, 10, 1000],
  ])('cuts %i bytes (average %i, variation %i) into pieces that add up', (size, average, variation) => {
    const lengths = slicePieceLengths(size, average, variation, Math.random);
    expect(lengths.reduce((a, b) => a + b, 0)).toBe(size);
    expect(lengths.every((l) => l >= 1)).toBe(true);
  });
});

describe('limit_data', () => {
  it('passes exactly the limit, then closes; the count survives a change', () => {
    const host = new RecordingHost();
    const toxic = limitDataToxic.start(host, { bytes: 5 });
    toxic.write(chunk('abc'));
    expect(host.closed).toBe(false);
    toxic.reconfigure({ bytes: 6 });
    const again = limitDataToxic.start(host, { bytes: 6 });
    again.write(chunk('defgh'));
    expect(host.text()).toBe('abcdef');
    expect(host.closed).toBe(true);
  });

  it('with 0 closes on the first data', () => {
    const host = new RecordingHost();
    limitDataToxic.start(host, { bytes: 0 }).write(chunk('x'));
    expect(host.emitted).toEqual([]);
    expect(host.closed).toBe(true);
  });
});
