import type { Socket } from 'node:net';
import type { StreamEnd } from '../toxics/toxic-type.js';
import { Link, type LinkOwner } from './link.js';
import type { ToxicCollection } from './toxic-collection.js';
import type { Direction, ToxicDefinition } from './toxic-definition.js';

export interface ConnectionTraffic {
  readonly upstreamReceived: number;
  readonly upstreamSent: number;
  readonly downstreamReceived: number;
  readonly downstreamSent: number;
}

/**
 * A client connection and its upstream connection, joined by two links. A half-close travels as a
 * half-close; a toxic closing the connection, a reset, or either socket failing ends both sides.
 */
export class ProxyConnection implements LinkOwner {
  private readonly links: Record<Direction, Link>;
  private closed = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    toxics: ToxicCollection,
    readonly random: () => number,
    private readonly onClosed: (connection: ProxyConnection) => void,
  ) {
    this.links = {
      upstream: new Link('upstream', client, upstream, this, toxics.chain('upstream')),
      downstream: new Link('downstream', upstream, client, this, toxics.chain('downstream')),
    };
    for (const socket of [client, upstream]) {
      // Failures surface as 'close'; without a listener an 'error' would crash the server.
      socket.on('error', ignoreSocketError);
      socket.once('close', () => this.onSocketClose(socket));
    }
    this.links.upstream.start();
    this.links.downstream.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes seen so far, read off the sockets' own counters (no per-chunk bookkeeping). */
  get traffic(): ConnectionTraffic {
    return {
      upstreamReceived: this.client.bytesRead,
      upstreamSent: this.upstream.bytesWritten,
      downstreamReceived: this.upstream.bytesRead,
      downstreamSent: this.client.bytesWritten,
    };
  }

  addToxic(toxic: ToxicDefinition): void {
    this.links[toxic.direction].addToxic(toxic);
  }

  updateToxic(toxic: ToxicDefinition): void {
    this.links[toxic.direction].updateToxic(toxic);
  }

  removeToxic(toxic: ToxicDefinition): void {
    this.links[toxic.direction].removeToxic(toxic.name);
  }

  linkFinished(link: Link, how: StreamEnd): void {
    if (this.closed) return;
    link.dest.end();
    if (how === 'close') {
      // A toxic ended the connection: stop reading both sources; what the other direction's
      // toxics still hold flows out before its own end.
      link.closeInput();
      (link === this.links.upstream ? this.links.downstream : this.links.upstream).closeInput();
    }
    if (this.links.upstream.finished && this.links.downstream.finished) {
      // Both ways are done: let each socket flush what it still has to write, then let it go.
      for (const socket of [this.client, this.upstream]) destroyWhenFlushed(socket);
    }
  }

  /** Abortive close of both sides: the peers see ECONNRESET. */
  resetConnection(): void {
    if (this.closed) return;
    for (const socket of [this.client, this.upstream]) if (!socket.destroyed) socket.resetAndDestroy();
    this.dispose();
  }

  /** Drops both sides at once (proxy disabled, deleted or restarted). */
  destroy(): void {
    if (this.closed) return;
    this.client.destroy();
    this.upstream.destroy();
    this.dispose();
  }

  /**
   * A socket closing is normal once we have ended what we write to it and it has ended what it sent
   * us (the other socket may still be receiving what toxics hold). Otherwise something failed and
   * nothing more can be delivered: both sides go.
   */
  private onSocketClose(socket: Socket): void {
    const writesInto = socket === this.client ? this.links.downstream : this.links.upstream;
    const readsFrom = socket === this.client ? this.links.upstream : this.links.downstream;
    if (writesInto.finished && readsFrom.inputDone) {
      if (this.client.destroyed && this.upstream.destroyed) this.dispose();
      return;
    }
    this.client.destroy();
    this.upstream.destroy();
    this.dispose();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.links.upstream.dispose();
    this.links.downstream.dispose();
    this.onClosed(this);
  }
}

const ignoreSocketError = (): void => {};

function destroyWhenFlushed(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) socket.destroy();
  else socket.once('finish', () => socket.destroy());
}
