import type { Socket } from 'node:net';
import type { ChunkReceiver, StreamEnd, ToxicChunk } from '../toxics/toxic-type.js';
import type { Direction, ToxicDefinition } from './toxic-definition.js';
import { ToxicStage } from './toxic-stage.js';

/** Stop reading the source while toxics hold more than this (a bandwidth toxic, say). */
const MAX_HELD_BYTES = 4 * 1024 * 1024;

/** What a link reports to, and asks of, its connection. */
export interface LinkOwner {
  readonly random: () => number;
  linkFinished(link: Link, how: StreamEnd): void;
  resetConnection(): void;
}

/**
 * One direction of one proxied connection: bytes from `source` to `dest`.
 *
 * With no toxic, chunks go straight from the source's `data` event to `dest.write` — a plain pipe,
 * with nothing done per chunk beyond backpressure. Only while toxics exist do chunks run through the
 * stage chain. Switching happens between two `data` events, so no byte is lost or reordered: what
 * was written directly is already queued at `dest` ahead of anything the stages release later.
 */
export class Link {
  private stages: ToxicStage[] = [];
  private head: ChunkReceiver;
  private readonly sink: ChunkReceiver;
  private throughToxics = false;
  /** Still reading the source (false once the connection is being closed by a toxic or the peer). */
  private reading = true;
  /** The end was passed to `dest`; nothing more is written. */
  finished = false;

  constructor(
    readonly direction: Direction,
    readonly source: Socket,
    readonly dest: Socket,
    private readonly owner: LinkOwner,
    toxics: readonly ToxicDefinition[],
  ) {
    this.sink = {
      write: (chunk: ToxicChunk) => this.deliver(chunk.data),
      end: (how: StreamEnd) => this.finish(how),
    };
    this.head = this.sink;
    for (const toxic of toxics) this.appendStage(toxic, true);
    source.on('data', this.stages.length > 0 ? this.forwardThroughToxics : this.forwardDirect);
    this.throughToxics = this.stages.length > 0;
    source.on('end', this.onSourceEnd);
    dest.on('drain', this.updateFlow);
  }

  /** The source has nothing more to give: it ended, or the connection stopped reading it. */
  get inputDone(): boolean {
    return !this.reading;
  }

  /** Begins reading (the accepted socket starts paused so nothing is read before upstream is up). */
  start(): void {
    this.updateFlow();
  }

  addToxic(toxic: ToxicDefinition): void {
    if (this.finished) return;
    this.appendStage(toxic, false);
    this.useToxicPath();
  }

  updateToxic(toxic: ToxicDefinition): void {
    this.stages.find((stage) => stage.name === toxic.name)?.reconfigure(toxic);
    this.updateFlow();
  }

  removeToxic(name: string): void {
    const index = this.stages.findIndex((stage) => stage.name === name);
    if (index < 0) return;
    const [stage] = this.stages.splice(index, 1) as [ToxicStage];
    // Hand on what it holds into its successor first, then take it out of the chain.
    stage.remove();
    if (index === 0) this.head = stage.next;
    else this.stages[index - 1]!.next = stage.next;
    if (this.stages.length === 0) this.useDirectPath();
    this.updateFlow();
  }

  /**
   * Stop taking input and end this direction: the other direction ended the connection. Whatever
   * the toxics hold still flows out first (slow_close and friends apply to that close too).
   */
  closeInput(): void {
    if (!this.reading) return;
    this.reading = false;
    this.source.pause();
    this.source.removeListener('data', this.forwardDirect);
    this.source.removeListener('data', this.forwardThroughToxics);
    this.head.end('close');
  }

  dispose(): void {
    this.reading = false;
    for (const stage of this.stages) stage.dispose();
    this.stages = [];
  }

  private appendStage(toxic: ToxicDefinition, presentAtOpen: boolean): void {
    const stage = new ToxicStage(toxic, { random: this.owner.random, resetConnection: () => this.owner.resetConnection() }, presentAtOpen, this.sink);
    const last = this.stages.at(-1);
    if (last) last.next = stage;
    else this.head = stage;
    this.stages.push(stage);
  }

  private useToxicPath(): void {
    if (this.throughToxics || !this.reading) return;
    this.source.removeListener('data', this.forwardDirect);
    this.source.on('data', this.forwardThroughToxics);
    this.throughToxics = true;
  }

  private useDirectPath(): void {
    if (!this.throughToxics || !this.reading) return;
    this.source.removeListener('data', this.forwardThroughToxics);
    this.source.on('data', this.forwardDirect);
    this.throughToxics = false;
  }

  private readonly forwardDirect = (data: Buffer): void => {
    if (!this.dest.write(data)) this.source.pause();
  };

  private readonly forwardThroughToxics = (data: Buffer): void => {
    this.head.write({ data, arrivedAt: performance.now() });
    this.updateFlow();
  };

  private readonly onSourceEnd = (): void => {
    if (!this.reading) return;
    this.reading = false;
    this.head.end('eof');
  };

  private deliver(data: Buffer): void {
    if (this.finished || this.dest.destroyed) return;
    this.dest.write(data);
    if (this.source.isPaused()) this.updateFlow();
  }

  private finish(how: StreamEnd): void {
    if (this.finished) return;
    this.finished = true;
    this.owner.linkFinished(this, how);
  }

  private heldBytes(): number {
    let held = 0;
    for (const stage of this.stages) held += stage.heldBytes;
    return held;
  }

  private readonly updateFlow = (): void => {
    if (!this.reading || this.source.destroyed) return;
    const blocked = this.dest.writableNeedDrain || (this.stages.length > 0 && this.heldBytes() > MAX_HELD_BYTES);
    if (blocked) this.source.pause();
    else this.source.resume();
  };
}
