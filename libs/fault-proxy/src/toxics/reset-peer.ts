import { defineToxicType, RunningToxic, type StreamEnd, type ToxicChunk } from './toxic-type.js';

type ResetPeerAttributes = Readonly<Record<'timeout', number>>;

/**
 * On the first data (which it drops) or the end of the stream, waits `timeout` ms, then resets both
 * sides (ECONNRESET). Like the real server, only a toxic present when the connection opened can
 * reset it; one added later closes the connection normally instead.
 */
class RunningResetPeer extends RunningToxic<ResetPeerAttributes> {
  private triggeredAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private held: ToxicChunk[] = [];
  private heldLength = 0;
  private pendingEnd: StreamEnd | null = null;

  override get heldBytes(): number {
    return this.heldLength;
  }

  write(chunk: ToxicChunk): void {
    if (this.triggeredAt === null) {
      this.trigger();
      return;
    }
    this.held.push(chunk);
    this.heldLength += chunk.data.length;
  }

  override end(how: StreamEnd): void {
    if (this.triggeredAt === null) this.trigger();
    else this.pendingEnd = how;
  }

  override reconfigure(attributes: ResetPeerAttributes): void {
    super.reconfigure(attributes);
    if (this.timer !== null) this.schedule();
  }

  override release(): void {
    this.cancel();
    const held = this.held;
    this.held = [];
    this.heldLength = 0;
    for (const chunk of held) this.host.emit(chunk);
    if (this.pendingEnd !== null) this.host.emitEnd(this.pendingEnd);
    this.pendingEnd = null;
  }

  override dispose(): void {
    this.cancel();
    this.held = [];
    this.heldLength = 0;
  }

  private trigger(): void {
    this.triggeredAt = performance.now();
    this.schedule();
  }

  private schedule(): void {
    this.cancel();
    const remaining = this.triggeredAt! + this.attributes.timeout - performance.now();
    if (remaining <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, Math.ceil(remaining));
  }

  private fire(): void {
    this.held = [];
    this.heldLength = 0;
    if (this.host.presentAtOpen) this.host.resetConnection();
    else this.host.closeConnection();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export const resetPeerToxic = defineToxicType({
  name: 'reset_peer',
  attributeNames: ['timeout'],
  goStructName: 'ResetToxic',
  start: (host, attributes) => new RunningResetPeer(host, attributes),
});
