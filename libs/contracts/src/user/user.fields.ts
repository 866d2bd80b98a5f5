import { z } from 'zod';

/**
 * Field schemas shared by the gateway (which validates requests) and the user service (which validates
 * messages again at its own boundary). Emails are compared in their normalized form: trimmed, lower case.
 */
export const emailField = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an email address like ada@example.org' }));

export const passwordField = z
  .string({ error: 'must be a string' })
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters');

export const nameField = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** User ids are UUIDs (v4 or v7), lower case. */
export const userIdField = z.uuid({ error: 'must be a UUID' }).transform((id) => id.toLowerCase());

/** A client-chosen key that makes a retried command a no-op; the gateway uses the request id. */
export const requestIdField = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
