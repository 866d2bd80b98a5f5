import { PacedQueue } from './paced-queue.js';
import { defineToxicType, RunningToxic, type StreamEnd, type ToxicChunk, type ToxicHost } from './toxic-type.js';

type SlicerAttributes = Readonly<Record<'average_size' | 'size_variation' | 'delay', number>>;

/**
 * Piece lengths for `size` bytes, by the real server's method: halve around the middle ± a random
 * `variation` until a piece is within `variation` of `average`. Unlike the real server (which
 * recurses forever or panics there), zero or negative settings still end in pieces of at least 1 B.
 */
export function slicePieceLengths(size: number, average: number, variation: number, random: () => number): number[] {
  const spread = Math.max(0, variation);
  const lengths: number[] = [];
  const cut = (start: number, end: number): void => {
    const length = end - start;
    if (length - average <= spread || length <= 1) {
      if (length > 0) lengths.push(length);
      return;
    }
    const offset = spread > 0 ? Math.floor(random() * 2 * spread) - spread : 0;
    const mid = Math.min(end - 1, Math.max(start + 1, start + Math.floor(length / 2) + offset));
    cut(start, mid);
    cut(mid, end);
  };
  cut(0, size);
  return lengths;
}

/** Splits chunks into pieces of about `average_size` bytes, `delay` µs apart. */
class RunningSlicer extends RunningToxic<SlicerAttributes> {
  private readonly queue: PacedQueue;

  constructor(host: ToxicHost, attributes: SlicerAttributes) {
    super(host, attributes);
    this.queue = new PacedQueue(host, { restampOnEmit: false });
  }

  override get heldBytes(): number {
    return this.queue.heldBytes;
  }

  write(chunk: ToxicChunk): void {
    const { average_size, size_variation } = this.attributes;
    const gap = this.gapMs();
    const now = performance.now();
    let offset = 0;
    for (const length of slicePieceLengths(chunk.data.length, average_size, size_variation, this.host.random)) {
      // The real server sleeps after every piece, so the next one (of any chunk) waits a full gap.
      this.queue.enqueue(chunk.data.subarray(offset, offset + length), chunk.arrivedAt, Math.max(now, this.queue.lastDue + gap));
      offset += length;
    }
    this.queue.pump();
  }

  override end(how: StreamEnd): void {
    this.queue.end(how);
  }

  override reconfigure(attributes: SlicerAttributes): void {
    super.reconfigure(attributes);
    const gap = this.gapMs();
    const now = performance.now();
    this.queue.retime((_data, _arrivedAt, previousDue) => Math.max(now, previousDue + gap), now - gap);
  }

  override release(): void {
    this.queue.flush();
  }

  override dispose(): void {
    this.queue.dispose();
  }

  private gapMs(): number {
    return Math.max(0, this.attributes.delay) / 1000;
  }
}

export const slicerToxic = defineToxicType({
  name: 'slicer',
  attributeNames: ['average_size', 'size_variation', 'delay'],
  goStructName: 'SlicerToxic',
  start: (host, attributes) => new RunningSlicer(host, attributes),
});
