import type { DataSource, QueryRunner } from 'typeorm';

interface NotifyingClient {
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * LISTENs on a dedicated pooled connection while subscriptions need it, and turns notifications into
 * wake-ups. Best effort by design: if the connection cannot be had or breaks (a failover), subscribers still
 * poll, and the next `ensure()` tries again.
 */
export class NotificationListener {
  private runner: QueryRunner | undefined;
  private starting: Promise<void> | undefined;
  private detach: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  get listening(): boolean {
    return this.runner !== undefined;
  }

  /** Makes sure a LISTEN is active; never throws. */
  ensure(): Promise<void> {
    if (this.closed || this.runner) return Promise.resolve();
    this.starting ??= this.start()
      .catch(() => undefined)
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting;
    await this.teardown();
  }

  private async start(): Promise<void> {
    const runner = this.dataSource.createQueryRunner('master');
    const client = (await runner.connect()) as NotifyingClient;
    const onNotification = (message: { channel: string }): void => {
      if (message.channel === this.channel) this.onNotify();
    };
    const onBroken = (): void => {
      if (this.runner === runner) this.forget();
    };
    client.on('notification', onNotification);
    client.on('error', onBroken);
    client.on('end', onBroken);
    this.detach = () => {
      client.removeListener('notification', onNotification);
      client.removeListener('error', onBroken);
      client.removeListener('end', onBroken);
    };
    try {
      await runner.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
    } catch (error) {
      this.detach();
      if (!runner.isReleased) await runner.release();
      throw error;
    }
    this.runner = runner;
    // Events may have been appended while we connected: one wake-up costs a read, a lost one costs a poll interval.
    this.onNotify();
    if (this.closed) await this.teardown();
  }

  private async teardown(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    this.forget();
    try {
      // The connection goes back to the pool: it must stop receiving our notifications.
      await runner.query('UNLISTEN *');
    } catch {
      // Broken already: TypeORM has released it with the error, and the pool discards it.
    }
    if (!runner.isReleased) await runner.release();
  }

  private forget(): void {
    this.detach?.();
    this.detach = undefined;
    this.runner = undefined;
  }
}
