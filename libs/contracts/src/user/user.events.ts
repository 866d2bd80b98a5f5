/**
 * The user service's events, as stored in the shards' event logs and published to other services.
 * Each is a `{ type, data }` pair (the event store's `Event` shape); the union discriminates on `type`.
 */

/** A user stream (`user-<userId>`, on the user's shard) begins with this event. */
export type UserRegistered = Readonly<{
  type: 'UserRegistered';
  data: Readonly<{ userId: string; email: string; name: string; passwordHash: string; registeredAt: string }>;
}>;

export type ProfileUpdated = Readonly<{
  type: 'ProfileUpdated';
  data: Readonly<{ userId: string; name: string; updatedAt: string }>;
}>;

export type EmailChanged = Readonly<{
  type: 'EmailChanged';
  data: Readonly<{ userId: string; previousEmail: string; email: string; changedAt: string }>;
}>;

/**
 * Closes a user stream that never got its `UserRegistered` (the registration crashed after reserving the
 * email): appended with expected version "no stream" by the registration that takes the address over, so
 * the crashed one can never complete later. The stream stays closed; no profile is ever built from it.
 */
export type RegistrationAbandoned = Readonly<{
  type: 'RegistrationAbandoned';
  data: Readonly<{ userId: string; email: string; abandonedAt: string }>;
}>;

export type UserEvent = UserRegistered | ProfileUpdated | EmailChanged | RegistrationAbandoned;

/**
 * An email reservation stream (`email-<sha256 of the normalized address>`, on the shard of that hash)
 * holds who owns an address: exactly one registration can append the first `EmailReserved`.
 */
export type EmailReserved = Readonly<{
  type: 'EmailReserved';
  data: Readonly<{ email: string; userId: string; reservedAt: string }>;
}>;

export type EmailReleased = Readonly<{
  type: 'EmailReleased';
  data: Readonly<{ email: string; userId: string; releasedAt: string }>;
}>;

export type EmailReservationEvent = EmailReserved | EmailReleased;

export const USER_EVENT_TYPES = ['UserRegistered', 'ProfileUpdated', 'EmailChanged', 'RegistrationAbandoned'] as const satisfies readonly UserEvent['type'][];
export const EMAIL_RESERVATION_EVENT_TYPES = ['EmailReserved', 'EmailReleased'] as const satisfies readonly EmailReservationEvent['type'][];
