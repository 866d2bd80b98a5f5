import { PassThrough, type ChunkReceiver, type RunningToxic, type StreamEnd, type ToxicChunk, type ToxicHost } from '../toxics/toxic-type.js';
import type { ToxicDefinition } from './toxic-definition.js';

/** What a stage needs from the link it sits in. */
export interface StageOwner {
  readonly random: () => number;
  resetConnection(): void;
}

/**
 * One toxic's place in one direction of one connection. It rolls the toxicity when the toxic
 * starts here (at connection open, when added, and again when changed), runs the toxic or a
 * pass-through accordingly, and can be unlinked at any time without losing or reordering bytes.
 */
export class ToxicStage implements ChunkReceiver {
  /** Where this stage's output goes: the next stage, or the link's destination. */
  next: ChunkReceiver;
  private running: RunningToxic;
  private active: boolean;
  private inputEnded = false;
  private outputEnded = false;
  private readonly host: ToxicHost;

  constructor(
    private definition: ToxicDefinition,
    private readonly owner: StageOwner,
    presentAtOpen: boolean,
    next: ChunkReceiver,
  ) {
    this.next = next;
    this.host = {
      emit: (chunk) => {
        if (!this.outputEnded) this.next.write(chunk);
      },
      emitEnd: (how) => this.passEnd(how),
      closeConnection: () => {
        // Nothing more enters this stage; what it already emitted flows on ahead of the close.
        this.inputEnded = true;
        this.passEnd('close');
      },
      resetConnection: () => this.owner.resetConnection(),
      presentAtOpen,
      random: owner.random,
      memory: {},
    };
    this.active = this.rollToxicity();
    this.running = this.startRunning();
  }

  get name(): string {
    return this.definition.name;
  }

  get heldBytes(): number {
    return this.running.heldBytes;
  }

  write(chunk: ToxicChunk): void {
    if (!this.inputEnded) this.running.write(chunk);
  }

  end(how: StreamEnd): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.running.end(how);
  }

  /** The toxic was changed: it starts over here, so its toxicity is rolled again. */
  reconfigure(definition: ToxicDefinition): void {
    this.definition = definition;
    const wasActive = this.active;
    this.active = this.rollToxicity();
    if (wasActive && this.active) {
      this.running.reconfigure(definition.attributes);
      return;
    }
    this.running.release();
    this.running.dispose();
    this.running = this.startRunning();
  }

  /** The toxic was deleted: hand on what it holds (a timeout closes the connection instead). */
  remove(): void {
    this.running.removed();
    this.running.dispose();
    this.running = new PassThrough(this.host, {});
  }

  dispose(): void {
    this.running.dispose();
  }

  private rollToxicity(): boolean {
    // As in the real server: `rand < toxicity`, so 1 always acts and 0 never does.
    return this.owner.random() < this.definition.toxicity;
  }

  private startRunning(): RunningToxic {
    return this.active ? this.definition.type.start(this.host, this.definition.attributes) : new PassThrough(this.host, {});
  }

  private passEnd(how: StreamEnd): void {
    if (this.outputEnded) return;
    this.outputEnded = true;
    this.next.end(how);
  }
}
