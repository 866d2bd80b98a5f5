import { PacedQueue } from './paced-queue.js';
import { defineToxicType, RunningToxic, type StreamEnd, type ToxicChunk, type ToxicHost } from './toxic-type.js';

type BandwidthAttributes = Readonly<Record<'rate', number>>;

/** Slow links are released in slices of at most 100 ms worth of bytes, as the real server does. */
const SLICE_MS = 100;

/**
 * Limits the direction to `rate` KB/s (1 KB = 1000 B, so `rate` is also bytes per ms). Each slice is
 * released when the link would have finished sending it; idle time earns no credit. A rate of 0 or
 * less passes nothing: data waits until the toxic is changed or removed.
 */
class RunningBandwidth extends RunningToxic<BandwidthAttributes> {
  private readonly queue: PacedQueue;
  private busyUntil = -Infinity;

  constructor(host: ToxicHost, attributes: BandwidthAttributes) {
    super(host, attributes);
    this.queue = new PacedQueue(host, { restampOnEmit: false });
  }

  override get heldBytes(): number {
    return this.queue.heldBytes;
  }

  write(chunk: ToxicChunk): void {
    const { rate } = this.attributes;
    if (rate <= 0) {
      this.queue.push(chunk.data, chunk.arrivedAt, Infinity);
      return;
    }
    const sliceBytes = rate * SLICE_MS;
    const now = performance.now();
    for (let offset = 0; offset < chunk.data.length; offset += sliceBytes) {
      const slice = chunk.data.subarray(offset, offset + sliceBytes);
      this.busyUntil = Math.max(this.busyUntil, now) + slice.length / rate;
      this.queue.enqueue(slice, chunk.arrivedAt, this.busyUntil);
    }
    this.queue.pump();
  }

  override end(how: StreamEnd): void {
    this.queue.end(how);
  }

  override reconfigure(attributes: BandwidthAttributes): void {
    super.reconfigure(attributes);
    const { rate } = attributes;
    this.busyUntil = performance.now();
    this.queue.retime((data) => {
      if (rate <= 0) return Infinity;
      this.busyUntil += data.length / rate;
      return this.busyUntil;
    }, -Infinity);
  }

  override release(): void {
    this.queue.flush();
  }

  override dispose(): void {
    this.queue.dispose();
  }
}

export const bandwidthToxic = defineToxicType({
  name: 'bandwidth',
  attributeNames: ['rate'],
  goStructName: 'BandwidthToxic',
  start: (host, attributes) => new RunningBandwidth(host, attributes),
});
