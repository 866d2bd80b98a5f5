import { connect, type Socket } from 'node:net';

export interface SocketOutcome {
  /** 'end' (orderly FIN), 'reset' (ECONNRESET) or 'error' (anything else). */
  readonly how: 'end' | 'reset' | 'error';
  readonly code?: string;
  /** performance.now() when it happened. */
  readonly at: number;
}

/** A client socket that records everything it receives and how it ended. */
export class TestClient {
  readonly socket: Socket;
  private received: Buffer[] = [];
  private receivedLength = 0;
  private readonly waiters = new Set<() => void>();
  /** Lengths of the individual reads (to see slicing). */
  readonly readSizes: number[] = [];
  outcome: SocketOutcome | undefined;
  readonly connected: Promise<void>;

  private constructor(port: number) {
    this.socket = connect({ host: '127.0.0.1', port, noDelay: true, allowHalfOpen: true });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (data: Buffer) => {
      this.received.push(data);
      this.receivedLength += data.length;
      this.readSizes.push(data.length);
      this.notify();
    });
    this.socket.on('end', () => this.finish({ how: 'end', at: performance.now() }));
    this.socket.on('error', (error: NodeJS.ErrnoException) =>
      this.finish({ how: error.code === 'ECONNRESET' ? 'reset' : 'error', code: error.code, at: performance.now() }),
    );
    this.socket.on('close', () => this.finish({ how: 'end', at: performance.now() }));
  }

  static async open(port: number): Promise<TestClient> {
    const client = new TestClient(port);
    await client.connected;
    return client;
  }

  get length(): number {
    return this.receivedLength;
  }

  data(): Buffer {
    return Buffer.concat(this.received, this.receivedLength);
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Resolves once `length` bytes have arrived in total (rejects if the socket ends first or on timeout). */
  waitForBytes(length: number, timeoutMs = 5000): Promise<Buffer> {
    return this.waitFor(() => this.receivedLength >= length, timeoutMs, `${length} bytes (have ${this.receivedLength})`).then(() => this.data());
  }

  /** Resolves when the connection ends, however it ends. */
  waitForOutcome(timeoutMs = 5000): Promise<SocketOutcome> {
    return this.waitFor(() => this.outcome !== undefined, timeoutMs, 'the connection to end', true).then(() => this.outcome!);
  }

  /** Sends `message` and resolves with the round-trip time once as many bytes came back. */
  async roundTrip(message: string | Buffer, timeoutMs = 5000): Promise<number> {
    const start = performance.now();
    const target = this.receivedLength + Buffer.byteLength(message);
    this.send(message);
    await this.waitForBytes(target, timeoutMs);
    return performance.now() - start;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private finish(outcome: SocketOutcome): void {
    this.outcome ??= outcome;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private waitFor(done: () => boolean, timeoutMs: number, what: string, endIsFine = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) {
          cleanup();
          resolve();
        } else if (!endIsFine && this.outcome !== undefined) {
          cleanup();
          reject(new Error(`connection ended (${this.outcome.how}) while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** Resolves with the error code of a connection attempt that fails (e.g. ECONNREFUSED). */
export function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** Milliseconds elapsed since a performance.now() mark. */
export const since = (mark: number): number => performance.now() - mark;
