import { defineToxicType, RunningToxic, type StreamEnd, type ToxicChunk } from './toxic-type.js';

type SlowCloseAttributes = Readonly<Record<'delay', number>>;

/** Passes data at once, but holds the close of the stream back for `delay` ms. */
class RunningSlowClose extends RunningToxic<SlowCloseAttributes> {
  private pending: { how: StreamEnd; since: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  write(chunk: ToxicChunk): void {
    this.host.emit(chunk);
  }

  override end(how: StreamEnd): void {
    this.pending = { how, since: performance.now() };
    this.schedule();
  }

  override reconfigure(attributes: SlowCloseAttributes): void {
    super.reconfigure(attributes);
    if (this.pending) this.schedule();
  }

  override release(): void {
    this.cancel();
    this.passEnd();
  }

  override dispose(): void {
    this.cancel();
    this.pending = null;
  }

  private schedule(): void {
    this.cancel();
    const remaining = this.pending!.since + this.attributes.delay - performance.now();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.passEnd();
    }, Math.max(0, Math.ceil(remaining)));
  }

  private passEnd(): void {
    if (!this.pending) return;
    const { how } = this.pending;
    this.pending = null;
    this.host.emitEnd(how);
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export const slowCloseToxic = defineToxicType({
  name: 'slow_close',
  attributeNames: ['delay'],
  goStructName: 'SlowCloseToxic',
  start: (host, attributes) => new RunningSlowClose(host, attributes),
});
