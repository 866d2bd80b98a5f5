/** A piece of one direction's byte stream while it passes through toxics. */
export interface ToxicChunk {
  readonly data: Buffer;
  /**
   * When the bytes reached the proxy (performance.now() ms), moved on by each latency toxic so that
   * latencies add up and each is measured from the chunk's arrival, as the real server does.
   */
  readonly arrivedAt: number;
}

/**
 * How a direction stops: `eof` when its source half-closed (passed on as a half-close), `close` when a
 * toxic ends the whole connection (limit reached, timeout fired, or the other direction closed it).
 */
export type StreamEnd = 'eof' | 'close';

export interface ChunkReceiver {
  write(chunk: ToxicChunk): void;
  end(how: StreamEnd): void;
}

/** What a toxic running on one direction of one connection may do. */
export interface ToxicHost {
  /** Passes bytes on to the next toxic (or the destination socket). */
  emit(chunk: ToxicChunk): void;
  emitEnd(how: StreamEnd): void;
  /** Ends the connection gracefully: what was emitted still flows on, then both sides close. */
  closeConnection(): void;
  /** Aborts both sides with a TCP reset (ECONNRESET at the peers). */
  resetConnection(): void;
  /** Whether the toxic was there when the connection opened (reset_peer resets only then). */
  readonly presentAtOpen: boolean;
  readonly random: () => number;
  /** Per connection and direction, kept while the toxic is re-configured (limit_data's count). */
  readonly memory: Record<string, number>;
}

export type ToxicAttributes = Readonly<Record<string, number>>;

/**
 * One toxic at work on one direction of one connection. The default is a pass-through; toxics
 * override what they change. Whatever a toxic holds must be handed on by `release`.
 */
export abstract class RunningToxic<A extends ToxicAttributes = ToxicAttributes> {
  constructor(
    protected readonly host: ToxicHost,
    protected attributes: A,
  ) {}

  /** Bytes the toxic holds back right now; the link stops reading its source when this grows. */
  get heldBytes(): number {
    return 0;
  }

  abstract write(chunk: ToxicChunk): void;

  end(how: StreamEnd): void {
    this.host.emitEnd(how);
  }

  /** New attributes on a live connection (PATCH of the toxic while it keeps running). */
  reconfigure(attributes: A): void {
    this.attributes = attributes;
  }

  /** The toxic leaves this connection: hand on, at once and in order, everything it holds. */
  release(): void {}

  /** The toxic was deleted (not merely re-rolled away): by default that only releases. */
  removed(): void {
    this.release();
  }

  /** The connection is gone: cancel timers, drop everything. */
  dispose(): void {}
}

export class PassThrough extends RunningToxic {
  write(chunk: ToxicChunk): void {
    this.host.emit(chunk);
  }
}

export interface ToxicType<Name extends string = string> {
  readonly name: string;
  /** Attribute names in the order the real server prints them; all are integers defaulting to 0. */
  readonly attributeNames: readonly Name[];
  /** The Go struct the real server decodes attributes into (for its error wording). */
  readonly goStructName: string;
  start(host: ToxicHost, attributes: Readonly<Record<Name, number>>): RunningToxic;
}

export const defineToxicType = <Name extends string>(type: ToxicType<Name>): ToxicType<Name> => type;
