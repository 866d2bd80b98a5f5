import { createHash } from 'node:crypto';
import { normalizeEmail } from './stream-ids.js';

/** Separates these ids from any other SHA-256-derived value (a different purpose gives different ids). */
const NAMESPACE = 'faultline/user-id/v1';

/**
 * The id of the user a registration creates, derived from the request id (the command's idempotency key)
 * and the normalized address: a retried registration gets the same id, so every step it repeats lands on
 * the same streams and is recognized by its idempotency keys.
 *
 * The address is part of the input because request ids are chosen by clients (`Idempotency-Key`): two
 * clients that happen to pick the same key for different addresses must not end up sharing one user.
 *
 * Formatted as an RFC 9562 UUID version 8 (the version for custom, here SHA-256 name-based, ids — v5 is
 * the same idea with SHA-1).
 */
export function userIdFor(requestId: string, email: string): string {
  const digest = createHash('sha256').update(`${NAMESPACE}\0${requestId}\0${normalizeEmail(email)}`, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx (RFC 9562)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
