import type { EmailReservationEvent } from '#libs/contracts';
import { handleCommand, isExpectedVersionConflictError } from '#libs/event-store';
import type { ReadOptions, ShardRouter, WriteOptions } from '#libs/shard-router';
import { emailReservationDecider, type EmailReservationCommand, type EmailReservationState } from '../domain/email-reservation.decider.js';
import { isEmailNotHeldError, isEmailTakenError, type EmailHolder } from '../domain/email-reservation.errors.js';
import { emailReservationStreamId, emailShardKey, normalizeEmail, userStreamId } from '../domain/stream-ids.js';
import { userDecider } from '../domain/user.decider.js';
import type { ShardEventStores } from './shard-event-stores.js';

export interface EmailReservationsOptions {
  readonly router: ShardRouter;
  readonly stores: ShardEventStores;
  readonly clock: () => Date;
  /** How long a reservation must be held before an abandoned one may be taken over (see README). */
  readonly gracePeriodMs: number;
  readonly writeOptions?: WriteOptions;
}

/** Who owns which address, across shards: the reservation streams and the takeover of abandoned ones. */
export class EmailReservations {
  constructor(private readonly options: EmailReservationsOptions) {}

  /** The shard of the address's reservation stream. */
  shardOf(email: string): number {
    return this.options.router.shardFor(emailShardKey(email));
  }

  /**
   * Reserves `email` for `userId`, or throws EmailTakenError. When another user holds it, the
   * reservation is taken over if that user demonstrably does not use the address — their stream never
   * began (it is closed now, so it never can), or they have moved to another address — and has held it
   * for the grace period. `idempotencyKey` makes a retry after an unknown outcome a no-op. `signal` can stop
   * the first attempt's retries; a takeover, once begun, is finished.
   */
  async reserve(email: string, userId: string, idempotencyKey: string, correlationId?: string, signal?: AbortSignal): Promise<void> {
    const reserve = (takeOverFrom?: EmailHolder): EmailReservationCommand => ({
      type: 'ReserveEmail',
      data: {
        email: normalizeEmail(email),
        userId,
        now: this.now(),
        ...(takeOverFrom && { takeOverFrom: { userId: takeOverFrom.userId, gracePeriodMs: this.options.gracePeriodMs } }),
      },
    });
    try {
      await this.execute(email, reserve(), idempotencyKey, correlationId, signal);
    } catch (error) {
      if (!isEmailTakenError(error) || !error.holder || !this.heldLongEnough(error.holder)) throw error;
      // Throws EMAIL_TAKEN when the holder does use the address; otherwise they can never claim it again.
      await this.disclaim(error.holder.userId, email, correlationId);
      // The decider checks again that the same holder still holds it, on the version this reads.
      await this.execute(email, reserve(error.holder), idempotencyKey, correlationId);
    }
  }

  /**
   * Gives `email` up if `userId` holds it. Answers false when there is nothing (left) to release: someone
   * else holds it by now (it was taken over), or — with `fence` — the reservation stream moved past that
   * version (the holder renewed it, e.g. by changing back to this address meanwhile: releasing it now
   * would leave an address in use unreserved; a leftover is reclaimed by a takeover instead).
   */
  async release(email: string, userId: string, idempotencyKey: string, options: { fence?: number; correlationId?: string } = {}): Promise<boolean> {
    const { router, stores, writeOptions } = this.options;
    const streamId = emailReservationStreamId(email);
    const command: EmailReservationCommand = { type: 'ReleaseEmail', data: { email: normalizeEmail(email), userId, now: this.now() } };
    const { value } = await router.write(
      this.shardOf(email),
      async (node) => {
        const store = stores.reservations(node.dataSource);
        if (await store.findIdempotentAppend(idempotencyKey)) return true; // released by an earlier attempt
        const { events, currentVersion } = await store.readStream(streamId);
        if (options.fence !== undefined && currentVersion !== options.fence) return false;
        const state = events.reduce<EmailReservationState>(emailReservationDecider.evolve, emailReservationDecider.initialState());
        let released: readonly EmailReservationEvent[];
        try {
          const decided = await emailReservationDecider.decide(command, state);
          released = Array.isArray(decided) ? decided : [decided as EmailReservationEvent];
        } catch (error) {
          if (isEmailNotHeldError(error)) return false;
          throw error;
        }
        if (released.length === 0) return true;
        try {
          // At the version checked above: a renewal or takeover in between makes this a conflict.
          await store.appendToStream(streamId, released, {
            expectedVersion: currentVersion,
            idempotencyKey,
            ...(options.correlationId !== undefined && { correlationId: options.correlationId }),
          });
          return true;
        } catch (error) {
          if (isExpectedVersionConflictError(error)) return false;
          throw error;
        }
      },
      writeOptions,
    );
    return value;
  }

  /** The reservation stream's version now (read on the primary): the fence for a later `release`. */
  async versionOf(email: string): Promise<number> {
    const { value } = await this.options.router.read(
      this.shardOf(email),
      async (node) => (await this.options.stores.reservations(node.dataSource).readStream(emailReservationStreamId(email), { maxCount: 1 })).currentVersion,
      { consistency: 'primary' },
    );
    return value;
  }

  /** The user holding `email`, if anyone. */
  async holderOf(email: string, readOptions: ReadOptions = {}): Promise<string | undefined> {
    const { value } = await this.options.router.read(
      this.shardOf(email),
      async (node) => {
        const { events } = await this.options.stores.reservations(node.dataSource).readStream(emailReservationStreamId(email));
        return events.reduce<EmailReservationState>(emailReservationDecider.evolve, emailReservationDecider.initialState());
      },
      readOptions,
    );
    return value.status === 'reserved' ? value.userId : undefined;
  }

  private async execute(email: string, command: EmailReservationCommand, idempotencyKey: string, correlationId?: string, signal?: AbortSignal): Promise<void> {
    const { router, stores, writeOptions } = this.options;
    await router.write(
      this.shardOf(email),
      (node) =>
        handleCommand(stores.reservations(node.dataSource), emailReservationStreamId(email), emailReservationDecider, command, {
          idempotencyKey,
          ...(correlationId !== undefined && { correlationId }),
        }),
      { ...writeOptions, ...(signal && { signal }) },
    );
  }

  /** DisclaimEmail on the holder's own stream, on the holder's shard. Decided again on a retry: it is idempotent. */
  private async disclaim(holderId: string, email: string, correlationId?: string): Promise<void> {
    const { router, stores, writeOptions } = this.options;
    await router.write(
      router.shardFor(holderId),
      (node) =>
        handleCommand(
          stores.users(node.dataSource),
          userStreamId(holderId),
          userDecider,
          { type: 'DisclaimEmail', data: { userId: holderId, email: normalizeEmail(email), now: this.now() } },
          correlationId !== undefined ? { correlationId } : {},
        ),
      writeOptions,
    );
  }

  private heldLongEnough(holder: EmailHolder): boolean {
    return this.options.clock().getTime() - Date.parse(holder.reservedAt) >= this.options.gracePeriodMs;
  }

  private now(): string {
    return this.options.clock().toISOString();
  }
}
