import type {
  AuthenticateReply,
  AuthenticateRequest,
  ChangeEmailRequest,
  GetProfileReply,
  GetProfileRequest,
  ProfileWriteReply,
  RegisterUserReply,
  RegisterUserRequest,
  UpdateProfileRequest,
  UserEvent,
  WriteToken,
} from '#libs/contracts';
import {
  ensureEventStoreSchema,
  handleCommand,
  isAppendOrderConflictError,
  isExpectedVersionConflictError,
  type HandleCommandResult,
} from '#libs/event-store';
import type { DataSource } from 'typeorm';
import type { ShardRouter, WriteOptions } from '#libs/shard-router';
import { EmailTakenError } from '../domain/email-reservation.errors.js';
import { normalizeEmail, userStreamId } from '../domain/stream-ids.js';
import { userDecider, type ChangeEmail, type User, type UserCommand, type UserState } from '../domain/user.decider.js';
import { isRegistrationAbandonedError, UserNotFoundError } from '../domain/user.errors.js';
import { userIdFor } from '../domain/user-id.js';
import { EmailReservations } from './email-reservations.js';
import { InvalidCredentialsError } from './invalid-credentials.error.js';
import { PasswordHasher } from './password-hasher.js';
import type { ProfileCache } from './profile-cache.js';
import { ShardEventStores } from './shard-event-stores.js';
import { findUserProfile, profileOf, saveUserProfile, type ProfileRecord } from './user-profiles.projection.js';
import { ensureUserSchema } from './user.schema.js';

export interface UserServiceOptions {
  readonly router: ShardRouter;
  /** Profile reads try it first; every write invalidates it. Without one, every read goes to the database. */
  readonly cache?: ProfileCache;
  /** Default: scrypt at DEFAULT_SCRYPT_PARAMETERS. */
  readonly hasher?: PasswordHasher;
  /** The time commands record (default: the system clock). */
  readonly clock?: () => Date;
  /** How old an abandoned email reservation must be before another registration may take it over (default 60 s). */
  readonly reservationGracePeriodMs?: number;
  /** Passed to every `router.write`. */
  readonly writeOptions?: WriteOptions;
  /** How long a read-your-writes read waits for a replica before the router asks the primary (router default when unset). */
  readonly readAfterMaxWaitMs?: number;
}

export const DEFAULT_RESERVATION_GRACE_PERIOD_MS = 60_000;

/** Conflicting concurrent commands on one user retried (each with a fresh read and decision). */
const MAX_CONFLICT_RETRIES = 3;

/** What lets a caller stop an operation's work that has not started yet (see serveMessage's MessageContext). */
export interface Cancellation {
  readonly signal?: AbortSignal;
}

/** A user-stream command's outcome and where it was written. */
interface UserWrite {
  readonly result: HandleCommandResult<UserState, UserEvent>;
  readonly write: WriteToken;
}

/**
 * The user service's operations, in plain TypeScript over the ShardRouter (the Nest/NATS edge calls these
 * with requests already validated by the contracts' schemas). Users are event-sourced on their shard
 * (`user-<id>` on `shardFor(id)`); addresses are unique across shards through reservation streams (see
 * apps/user/README.md, "Sharding and email uniqueness"). Every write carries an idempotency key derived
 * from the request id, so a retry after an unknown outcome repeats nothing.
 *
 * Throws domain errors (codes): USER_NOT_FOUND, FORBIDDEN, EMAIL_TAKEN, INVALID_CREDENTIALS, and from
 * below EXPECTED_VERSION_CONFLICT (concurrent changes beyond the retries), IDEMPOTENCY_KEY_REUSED, the
 * router's SHARD_UNAVAILABLE; `translateUserError` maps them to the contracts' codes.
 */
export class UserService {
  private readonly router: ShardRouter;
  private readonly cache: ProfileCache | undefined;
  private readonly hasher: PasswordHasher;
  private readonly clock: () => Date;
  private readonly stores = new ShardEventStores();
  private readonly reservations: EmailReservations;
  private readonly writeOptions: WriteOptions | undefined;
  private readonly readAfterMaxWaitMs: number | undefined;

  constructor(options: UserServiceOptions) {
    this.router = options.router;
    this.cache = options.cache;
    this.hasher = options.hasher ?? new PasswordHasher();
    this.clock = options.clock ?? (() => new Date());
    this.writeOptions = options.writeOptions;
    this.readAfterMaxWaitMs = options.readAfterMaxWaitMs;
    this.reservations = new EmailReservations({
      router: this.router,
      stores: this.stores,
      clock: this.clock,
      gracePeriodMs: options.reservationGracePeriodMs ?? DEFAULT_RESERVATION_GRACE_PERIOD_MS,
      ...(options.writeOptions && { writeOptions: options.writeOptions }),
    });
  }

  /** Creates the event store's and the service's tables on every shard's primary, if missing. */
  async ensureSchema(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.router.shardIds.map((shard) =>
        this.router.write(
          shard,
          async (node) => {
            await ensureEventStoreSchema(node.dataSource);
            await ensureUserSchema(node.dataSource);
          },
          { ...this.writeOptions, ...(signal && { signal }) },
        ),
      ),
    );
  }

  /**
   * Registers a user: reserves the address on its shard, then starts the user stream on the user's shard.
   * The id is derived from the request id (and address), so a retry returns the same user. EMAIL_TAKEN
   * when the address belongs to someone else. The signal (the caller's deadline) can stop the hashing and
   * the reservation; once the address is reserved, the registration is finished regardless, so that a
   * caller who left does not leave an address reserved by nobody.
   */
  async register(request: RegisterUserRequest, { signal }: Cancellation = {}): Promise<RegisterUserReply> {
    const email = normalizeEmail(request.email);
    const userId = userIdFor(request.requestId, email);
    const passwordHash = await this.hasher.hash(request.password, signal);
    await this.reservations.reserve(email, userId, `user.register:${userId}:reserve`, request.requestId, signal);
    try {
      const command: UserCommand = { type: 'RegisterUser', data: { userId, email, name: request.name, passwordHash, now: this.now() } };
      const { write } = await this.executeUser(userId, command, `user.register:${userId}:user`, request.requestId);
      return { userId, write };
    } catch (error) {
      // This registration stalled past the grace period and its address went to another one.
      if (isRegistrationAbandonedError(error)) throw new EmailTakenError(email);
      throw error;
    }
  }

  /**
   * The user with this address and password, or INVALID_CREDENTIALS — the same error, after the same
   * scrypt work, whether the address is unknown or the password wrong. Reads the primaries: a lagging
   * replica would refuse a user who just registered, or accept an address they just left.
   */
  async authenticate(request: AuthenticateRequest, { signal }: Cancellation = {}): Promise<AuthenticateReply> {
    const email = normalizeEmail(request.email);
    const holder = await this.reservations.holderOf(email, { consistency: 'primary', ...(signal && { signal }) });
    const record = holder === undefined ? undefined : await this.readRecord(holder, { consistency: 'primary', ...(signal && { signal }) });
    // A reservation can outlive the address's use (a change of address that crashed before its release).
    const account = record?.profile.email === email ? record : undefined;
    const valid = await this.hasher.verify(request.password, account?.passwordHash, signal);
    if (!valid || !account) throw new InvalidCredentialsError();
    return { userId: account.profile.id };
  }

  /**
   * The profile: from the cache, else from a replica (then cached). With `after` (a write token of the
   * user's shard) the cache is skipped and the read waits for a node that has that write. USER_NOT_FOUND.
   */
  async getProfile(request: GetProfileRequest, { signal }: Cancellation = {}): Promise<GetProfileReply> {
    const { userId } = request;
    const shard = this.router.shardFor(userId);
    // A token from another shard is another user's write: it orders nothing here.
    const after = request.after?.shard === shard ? request.after.lsn : undefined;
    if (after === undefined && this.cache) {
      const cached = await this.cache.get(userId);
      if (cached) return { profile: cached, source: 'cache' };
    }
    const read = await this.router.read(shard, (node) => findUserProfile(node.dataSource, userId), {
      ...(signal && { signal }),
      ...(after !== undefined && { after }),
      ...(after !== undefined && this.readAfterMaxWaitMs !== undefined && { maxWaitMs: this.readAfterMaxWaitMs }),
    });
    if (!read.value) throw new UserNotFoundError(userId);
    await this.cache?.fill(read.value.profile);
    return { profile: read.value.profile, source: read.role };
  }

  /**
   * Renames the user (only the user may: FORBIDDEN). The same name again changes nothing. The signal stops
   * the router's retries (a write in flight still ends with its transaction).
   */
  async updateProfile(request: UpdateProfileRequest, { signal }: Cancellation = {}): Promise<ProfileWriteReply> {
    const { userId, actorId, name, requestId } = request;
    const command: UserCommand = { type: 'UpdateProfile', data: { userId, actorId, name, now: this.now() } };
    // The actor is part of the key: a replayed answer must never reach someone the decider would refuse.
    const written = await this.executeUser(userId, command, `user.update-profile:${userId}:${actorId}:${requestId}`, requestId, signal);
    return this.profileReply(written);
  }

  /**
   * Changes the user's address: reserve the new one → EmailChanged on the user stream → release the old
   * one. EMAIL_TAKEN when the new address belongs to someone else; FORBIDDEN, USER_NOT_FOUND.
   */
  async changeEmail(request: ChangeEmailRequest, { signal }: Cancellation = {}): Promise<ProfileWriteReply> {
    const { userId, actorId, requestId } = request;
    const email = normalizeEmail(request.email);
    const key = `user.change-email:${userId}:${actorId}:${requestId}`;
    const command: ChangeEmail = { type: 'ChangeEmail', data: { userId, actorId, email, now: this.now() } };

    // Decide once up front, so that a stranger or an unknown user never gets to reserve an address. Until
    // the reservation below, nothing is written: the caller's signal may still stop the work.
    const current = await this.readUserState(userId, signal);
    const planned = await userDecider.decide(command, current);
    const changes = Array.isArray(planned) ? planned.length > 0 : true;
    const previous = current.status === 'registered' ? current.user.email : undefined;
    // The old address's reservation as it is before the change: the release below is fenced on it.
    const fence = previous !== undefined && previous !== email ? await this.reservations.versionOf(previous) : undefined;
    if (changes) {
      await this.reservations.reserve(email, userId, `${key}:reserve`, requestId);
    }

    const written = await this.executeUser(userId, command, `${key}:user`, requestId);
    const released = await this.releasedAddress(userId, written.result, `${key}:user`);
    if (released !== undefined && released !== email) {
      await this.reservations.release(released, userId, `${key}:release`, {
        correlationId: requestId,
        // Only when the change released the address read above (no concurrent change in between).
        ...(released === previous && fence !== undefined && { fence }),
      });
    }
    return this.profileReply(written);
  }

  /** Closes the event stores this service opened; the router (and its pools) belong to the caller. */
  async close(): Promise<void> {
    await this.stores.close();
  }

  /**
   * One command on a user stream, on the user's shard: decide, append (retrying version conflicts), save
   * the `user_profiles` row, then invalidate the cached profile.
   *
   * The row is saved right after the append, not in its transaction: libs/event-store's `transaction()`
   * gives its callback no way to run other SQL (see README, "Projection"). The row is written from the
   * folded state and only moves forward, so the gap is a crash between the two statements; a retry of the
   * command (same key) or `catchUpUserProfiles` heals it, and saving on idempotent replays makes retries do so.
   */
  private async executeUser(userId: string, command: UserCommand, idempotencyKey: string, correlationId: string, signal?: AbortSignal): Promise<UserWrite> {
    const shard = this.router.shardFor(userId);
    const written = await this.router.write(
      shard,
      (node) => this.appendWithProfile(node.dataSource, userId, command, idempotencyKey, correlationId),
      { ...this.writeOptions, ...(signal && { signal }) },
    );
    const { value: result } = written;
    if (result.newState.status === 'registered') await this.cache?.invalidate(userId, result.nextExpectedVersion);
    return { result, write: { shard, lsn: written.lsn } };
  }

  /**
   * The command's events and the `user_profiles` row they produce, in one transaction (an inline
   * projection): a reader never sees the row behind or ahead of the log. A conflict aborts the
   * transaction, and the whole decision runs again on the new state.
   */
  private async appendWithProfile(
    dataSource: DataSource,
    userId: string,
    command: UserCommand,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<HandleCommandResult<UserState, UserEvent>> {
    const store = this.stores.users(dataSource);
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.transaction(async (tx, sql) => {
          const result = await handleCommand(tx, userStreamId(userId), userDecider, command, { idempotencyKey, correlationId, maxRetries: 0 });
          // Saved after the append (see the event store's append order); a replay saves again, harmlessly.
          if (result.newState.status === 'registered') await saveUserProfile(sql, result.newState.user, result.nextExpectedVersion);
          return result;
        });
      } catch (error) {
        if (attempt > MAX_CONFLICT_RETRIES || !(isExpectedVersionConflictError(error) || isAppendOrderConflictError(error))) throw error;
      }
    }
  }

  /** The address an EmailChanged of this command left, whether appended now or by an earlier attempt. */
  private async releasedAddress(userId: string, result: HandleCommandResult<UserState, UserEvent>, idempotencyKey: string): Promise<string | undefined> {
    const appended = result.newEvents.find((event) => event.type === 'EmailChanged');
    if (appended) return appended.data.previousEmail;
    if (!result.idempotentReplay) return undefined;
    // A retry: the earlier attempt's event is the one at the version it left, recorded with our key.
    const { value } = await this.router.read(
      this.router.shardFor(userId),
      async (node) => {
        const { events } = await this.stores.users(node.dataSource).readStream(userStreamId(userId), { fromVersion: result.nextExpectedVersion, maxCount: 1 });
        return events[0];
      },
      { consistency: 'primary' },
    );
    return value?.type === 'EmailChanged' && value.metadata.idempotencyKey === idempotencyKey ? value.data.previousEmail : undefined;
  }

  private async readUserState(userId: string, signal?: AbortSignal): Promise<UserState> {
    const { value } = await this.router.read(
      this.router.shardFor(userId),
      async (node) => {
        const { events } = await this.stores.users(node.dataSource).readStream(userStreamId(userId));
        return events.reduce<UserState>(userDecider.evolve, userDecider.initialState());
      },
      { consistency: 'primary', ...(signal && { signal }) },
    );
    return value;
  }

  private async readRecord(userId: string, options: { consistency: 'primary' | 'replica'; signal?: AbortSignal }): Promise<ProfileRecord | undefined> {
    const { value } = await this.router.read(this.router.shardFor(userId), (node) => findUserProfile(node.dataSource, userId), options);
    return value;
  }

  private profileReply({ result, write }: UserWrite): ProfileWriteReply {
    // The deciders only answer UpdateProfile and ChangeEmail for registered users: anything else threw.
    const { user } = result.newState as { user: User };
    return { profile: profileOf(user, result.nextExpectedVersion), write };
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
