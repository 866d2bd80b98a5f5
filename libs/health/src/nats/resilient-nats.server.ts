import type { NatsConnection } from '@nats-io/transport-node';
import { localSubject } from '#libs/contracts';
import { Logger } from '@nestjs/common';
import { ServerNats } from '@nestjs/microservices';
import { describeError } from '../describe-error.js';
import { DependencyUnavailableError } from '../health.errors.js';

type ListenCallback = (error?: unknown, ...info: unknown[]) => void;
type ServerNatsOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS transport (`Transport.NATS`, same subscriptions, serialization and queue groups)
 * except that the app does not wait for NATS to start: `listen` reports ready at once and
 * connects in the background, retrying until NATS answers. Stock `ServerNats` rejects
 * `startAllMicroservices()` when NATS is down at boot, and a service that crash-loops while its
 * broker is away would hide exactly the recovery the lab exists to show. Readiness reports the
 * missing connection meanwhile (`connection()`).
 */
export class ResilientNatsServer extends ServerNats {
  protected override readonly logger = new Logger(ResilientNatsServer.name);
  private connectionStatus = 'disconnected';
  private lastError: unknown;
  private closing = false;
  private running: Promise<void> | undefined;
  /** The connection attempt under way, if any. */
  private attempt: Promise<unknown> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly queue: string | undefined;

  constructor(
    options: ServerNatsOptions,
    private readonly retryDelayMs = 1_000,
    /** The instance's data center: request patterns are also answered on `localSubject(dc, pattern)`. */
    private readonly dc?: string,
  ) {
    super(options);
    this.queue = options?.queue;
    this.status.subscribe((status) => (this.connectionStatus = status));
  }

  /** Nest's subscriptions, plus each request pattern on its DC-local subject (same handler, same queue group). */
  override bindEvents(client: Parameters<ServerNats['bindEvents']>[0]): void {
    super.bindEvents(client);
    if (this.dc === undefined) return;
    for (const [channel, handler] of this.messageHandlers) {
      if (handler.isEventHandler) continue;
      // They end with the connection, which Nest's close() closes.
      const queue = (handler.extras?.['queue'] as string | undefined) ?? this.queue;
      client.subscribe(localSubject(this.dc, channel), { ...(queue !== undefined && { queue }), callback: this.getMessageHandler(channel).bind(this) });
    }
  }

  override async listen(callback: ListenCallback): Promise<void> {
    this.closing = false;
    this.running = this.connectUntilClosed();
    callback();
  }

  override async close(): Promise<void> {
    this.closing = true;
    this.wakeUp?.();
    // An attempt in flight ends within the connect timeout; the loop then closes what it opened.
    await this.running;
    await super.close();
  }

  /**
   * The live connection, or a rejection saying why there is none (for the `nats` health check).
   * An attempt under way (right after startup) is waited for; a caller bounds the wait itself.
   */
  async connection(): Promise<NatsConnection> {
    if (this.connectionStatus !== 'connected' && this.attempt) await this.attempt;
    if (this.connectionStatus !== 'connected') {
      const reason = this.lastError === undefined ? '' : `: ${describeError(this.lastError).message}`;
      throw new DependencyUnavailableError(`NATS ${this.connectionStatus}${reason}`);
    }
    return this.unwrap<NatsConnection>();
  }

  private connectUntilClosed(): Promise<void> {
    // Runs detached from any caller: a failure must be logged, never become an unhandled rejection.
    return this.connectLoop().catch((error: unknown) => this.logger.error(`NATS connection loop failed: ${describeError(error).message}`));
  }

  private async connectLoop(): Promise<void> {
    let attempts = 0;
    while (!this.closing) {
      this.attempt = new Promise<unknown>((resolve) => void super.listen((failure?: unknown) => resolve(failure)));
      const error = await this.attempt;
      this.attempt = undefined;
      if (error === undefined) {
        this.lastError = undefined;
        if (this.closing) return; // close() runs super.close() once this loop has ended
        if (attempts > 0) this.logger.log(`connected to NATS after ${attempts} failed attempt(s)`);
        this.reconnectIfClosed(this.unwrap<NatsConnection>());
        return;
      }
      if (attempts === 0 || describeError(error).message !== describeError(this.lastError).message) {
        this.logger.warn(`NATS not reachable (${describeError(error).message}); retrying every ${this.retryDelayMs} ms`);
      }
      this.lastError = error;
      attempts += 1;
      await this.pause(this.retryDelayMs);
    }
  }

  /**
   * The client reconnects by itself after a lost connection; it closes for good only on a fatal
   * error (say, an authorization change). Start over then instead of staying deaf.
   */
  private reconnectIfClosed(nc: NatsConnection): void {
    void nc.closed().then(async (error) => {
      if (this.closing) return;
      this.lastError = error ?? new Error('connection closed');
      this.connectionStatus = 'disconnected';
      await super.close().catch(() => undefined);
      if (!this.closing) this.running = this.connectUntilClosed();
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
