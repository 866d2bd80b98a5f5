import { createHash } from 'node:crypto';

/**
 * Stream names of the user service. A user's stream lives on `shardFor(userId)`; an address's reservation
 * stream on `shardFor(emailShardKey(email))`. Both keys are part of the storage format: changing them
 * strands existing streams.
 */

export const userStreamId = (userId: string): string => `user-${userId}`;

/**
 * Addresses as the domain compares them: trimmed and lower-cased, like `emailField` in the contracts
 * (which the gateway and the service boundary already apply; doing it again here makes the domain safe
 * on its own).
 */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The address's SHA-256: stream names and shard keys carry no address in clear text. */
export const emailHash = (email: string): string => createHash('sha256').update(normalizeEmail(email), 'utf8').digest('hex');

export const emailReservationStreamId = (email: string): string => `email-${emailHash(email)}`;

/** The key handed to `ShardRouter.shardFor` for an address's reservation stream. */
export const emailShardKey = (email: string): string => `email:${normalizeEmail(email)}`;
