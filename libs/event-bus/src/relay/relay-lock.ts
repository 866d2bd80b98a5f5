import { EVENTS_CHANNEL } from '#libs/event-store';
import type { DataSource, QueryRunner } from 'typeorm';

interface LockClient {
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * The relay's hold on its shard: a session-level advisory lock on a dedicated connection to the primary
 * (taken from the node's pool, never given back to it: it is destroyed on release, which ends the lock
 * and the LISTEN with it). The same connection LISTENs on the event store's channel, so appends wake the
 * relay (NOTIFY is delivered on the primary only, where the lock is).
 *
 * The lock is an efficiency measure: one relay per shard publishes, the others stand by. It is lost
 * when the connection breaks (a failover, a network cut) — `lost` turns true — and another instance may
 * then take it on the new primary while this one has not noticed yet. Two relays publishing the same
 * positions for a moment is harmless: the message ids make JetStream store each once, and checkpoints
 * only move forward.
 */
export class RelayLock {
  private lostReason: string | undefined;
  private released = false;
  private readonly detach: () => void;

  private constructor(
    readonly node: string,
    private readonly runner: QueryRunner,
    client: LockClient,
    onNotify: () => void,
  ) {
    const onNotification = (message: { channel: string }): void => {
      if (message.channel === EVENTS_CHANNEL) onNotify();
    };
    const onBroken = (error?: unknown): void => {
      this.lostReason ??= error instanceof Error ? error.message : 'the lock connection ended';
      onNotify();
    };
    client.on('notification', onNotification);
    client.on('error', onBroken);
    client.on('end', onBroken);
    this.detach = () => {
      client.removeListener('notification', onNotification);
      client.removeListener('error', onBroken);
      client.removeListener('end', onBroken);
    };
  }

  /**
   * Tries once to take the lock `(hashtext(name), shard)` on the node behind `dataSource` (the primary);
   * `undefined` when another session holds it. The connection is closed again in that case.
   */
  static async tryAcquire(node: string, dataSource: DataSource, name: string, shard: number, onNotify: () => void): Promise<RelayLock | undefined> {
    const runner = dataSource.createQueryRunner('master');
    let lock: RelayLock | undefined;
    try {
      const client = (await runner.connect()) as LockClient;
      lock = new RelayLock(node, runner, client, onNotify);
      const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked, pg_is_in_recovery() AS standby', [
        `faultline.relay:${name}`,
        shard,
      ])) as { locked: boolean; standby: boolean }[];
      if (!rows[0]?.locked || rows[0].standby) {
        await lock.release();
        return undefined;
      }
      await runner.query(`LISTEN "${EVENTS_CHANNEL.replace(/"/g, '""')}"`);
      return lock;
    } catch (error) {
      if (lock) await lock.release();
      else await destroy(runner);
      throw error;
    }
  }

  /** Why the lock is gone, if it is (the connection broke or the node turned standby). */
  get lost(): string | undefined {
    return this.released ? 'released' : this.lostReason;
  }

  /**
   * Checks the connection still answers and the node is still a primary; on failure the lock counts as lost.
   * Returns `lost` afterwards.
   */
  async verify(): Promise<string | undefined> {
    if (this.lost) return this.lost;
    try {
      const rows = (await this.runner.query('SELECT pg_is_in_recovery() AS standby')) as { standby: boolean }[];
      if (rows[0]?.standby) this.lostReason ??= `${this.node} is a standby now`;
    } catch (error) {
      this.lostReason ??= error instanceof Error ? error.message : String(error);
    }
    return this.lost;
  }

  /** Ends the lock, the LISTEN and the connection. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.detach();
    await destroy(this.runner);
  }
}

/** Gives the connection back to the pool *with an error*, which makes the pool destroy it. */
async function destroy(runner: QueryRunner): Promise<void> {
  if (runner.isReleased) return;
  const pg = runner as unknown as { releasePostgresConnection?: (error?: Error) => Promise<void> };
  try {
    if (pg.releasePostgresConnection) await pg.releasePostgresConnection(new Error('relay lock connection closed'));
    else {
      await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await runner.release();
    }
  } catch {
    // Already broken: the pool discards it.
  }
}
