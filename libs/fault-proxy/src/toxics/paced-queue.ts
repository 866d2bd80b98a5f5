import type { StreamEnd, ToxicChunk, ToxicHost } from './toxic-type.js';

interface PacedItem {
  readonly data: Buffer;
  readonly arrivedAt: number;
  dueAt: number;
}

/**
 * Node timers tick in whole milliseconds and may fire a fraction early; anything due within this
 * margin goes out now rather than costing another timer round.
 */
const DUE_MARGIN_MS = 1;

export interface PacedQueueOptions {
  /** Stamp emitted chunks with the emission time (latency), so the next latency adds on top. */
  readonly restampOnEmit: boolean;
}

/**
 * A FIFO of chunks, each released at its due time (never before one queued ahead of it), followed by
 * the stream's end once everything is out. One timer at most, armed for the head.
 */
export class PacedQueue {
  private items: PacedItem[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private pendingEnd: StreamEnd | null = null;
  private lastDueAt = -Infinity;
  private bytes = 0;

  constructor(
    private readonly host: ToxicHost,
    private readonly options: PacedQueueOptions,
  ) {}

  get heldBytes(): number {
    return this.bytes;
  }

  get isEmpty(): boolean {
    return this.head === this.items.length;
  }

  /** The due time of the most recently queued chunk (or emitted, when empty): pacing continues from it. */
  get lastDue(): number {
    return this.lastDueAt;
  }

  /** Queues without releasing; call `pump` after a batch. */
  enqueue(data: Buffer, arrivedAt: number, dueAt: number): void {
    this.lastDueAt = Math.max(dueAt, this.lastDueAt);
    this.items.push({ data, arrivedAt, dueAt: this.lastDueAt });
    this.bytes += data.length;
  }

  push(data: Buffer, arrivedAt: number, dueAt: number): void {
    this.enqueue(data, arrivedAt, dueAt);
    this.pump();
  }

  end(how: StreamEnd): void {
    if (this.isEmpty) this.host.emitEnd(how);
    else this.pendingEnd = how;
  }

  /** New due times for everything queued (attributes changed); `previousDue` keeps the order. */
  retime(dueAtOf: (data: Buffer, arrivedAt: number, previousDue: number) => number, startFrom: number): void {
    let previous = startFrom;
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      item.dueAt = Math.max(dueAtOf(item.data, item.arrivedAt, previous), previous);
      previous = item.dueAt;
    }
    this.lastDueAt = previous;
    this.cancelTimer();
    this.pump();
  }

  /** Releases everything now, in order, then the pending end. */
  flush(): void {
    this.cancelTimer();
    while (!this.isEmpty) this.emitHead(performance.now());
    this.finishIfDrained();
  }

  dispose(): void {
    this.cancelTimer();
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.pendingEnd = null;
  }

  pump(): void {
    if (this.timer !== null) return;
    const now = performance.now();
    while (!this.isEmpty && this.items[this.head]!.dueAt - now < DUE_MARGIN_MS) this.emitHead(now);
    if (this.isEmpty) {
      this.finishIfDrained();
      return;
    }
    const wait = this.items[this.head]!.dueAt - now;
    if (wait === Infinity) return;
    this.timer = setTimeout(this.onTimer, Math.ceil(wait));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.pump();
  };

  private emitHead(now: number): void {
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as PacedItem;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.bytes -= item.data.length;
    this.host.emit({ data: item.data, arrivedAt: this.options.restampOnEmit ? now : item.arrivedAt });
  }

  private finishIfDrained(): void {
    if (this.isEmpty && this.pendingEnd !== null) {
      const how = this.pendingEnd;
      this.pendingEnd = null;
      this.host.emitEnd(how);
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
