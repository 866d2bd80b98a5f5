import { PacedQueue } from './paced-queue.js';
import { defineToxicType, RunningToxic, type StreamEnd, type ToxicChunk, type ToxicHost } from './toxic-type.js';

type LatencyAttributes = Readonly<Record<'latency' | 'jitter', number>>;

/**
 * Delays each chunk by `latency` ± `jitter` ms counted from its arrival. A chunk never overtakes the
 * one before it, so a short jitter draw just waits for its predecessor (the real server behaves so).
 */
class RunningLatency extends RunningToxic<LatencyAttributes> {
  private readonly queue: PacedQueue;

  constructor(host: ToxicHost, attributes: LatencyAttributes) {
    super(host, attributes);
    this.queue = new PacedQueue(host, { restampOnEmit: true });
  }

  override get heldBytes(): number {
    return this.queue.heldBytes;
  }

  write(chunk: ToxicChunk): void {
    this.queue.push(chunk.data, chunk.arrivedAt, chunk.arrivedAt + this.drawDelay());
  }

  override end(how: StreamEnd): void {
    this.queue.end(how);
  }

  override reconfigure(attributes: LatencyAttributes): void {
    super.reconfigure(attributes);
    this.queue.retime((_data, arrivedAt) => arrivedAt + this.drawDelay(), -Infinity);
  }

  override release(): void {
    this.queue.flush();
  }

  override dispose(): void {
    this.queue.dispose();
  }

  private drawDelay(): number {
    const { latency, jitter } = this.attributes;
    if (jitter <= 0) return latency;
    // Same draw as the real server: uniform over [latency - jitter, latency + jitter).
    return latency + Math.floor(this.host.random() * 2 * jitter) - jitter;
  }
}

export const latencyToxic = defineToxicType({
  name: 'latency',
  attributeNames: ['latency', 'jitter'],
  goStructName: 'LatencyToxic',
  start: (host, attributes) => new RunningLatency(host, attributes),
});
