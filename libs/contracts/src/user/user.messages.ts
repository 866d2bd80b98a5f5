import { z } from 'zod';
import { emailField, nameField, passwordField, requestIdField, userIdField } from './user.fields.js';

/** NATS request-reply subjects of the user service (`@nestjs/microservices` message patterns). */
export const USER_PATTERNS = {
  register: 'user.register',
  authenticate: 'user.authenticate',
  getProfile: 'user.profile.get',
  updateProfile: 'user.profile.update',
  changeEmail: 'user.email.change',
} as const;
export type UserPattern = (typeof USER_PATTERNS)[keyof typeof USER_PATTERNS];

/**
 * Where a write landed: enough for a later read to see it (read-your-writes). `lsn` is the primary's
 * WAL position after the commit; a replica that has replayed it has the write.
 */
export const writeTokenSchema = z.object({
  shard: z.number().int().nonnegative(),
  lsn: z.string().regex(/^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i, 'must be a Postgres LSN like 0/16B3748'),
});
export type WriteToken = z.infer<typeof writeTokenSchema>;

export const registerUserRequestSchema = z.object({
  email: emailField,
  password: passwordField,
  name: nameField,
  requestId: requestIdField,
});
export type RegisterUserRequest = z.infer<typeof registerUserRequestSchema>;
export interface RegisterUserReply {
  readonly userId: string;
  readonly write: WriteToken;
}

export const authenticateRequestSchema = z.object({ email: emailField, password: z.string().max(256) });
export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;
export interface AuthenticateReply {
  readonly userId: string;
}

/**
 * `eventual` reads may come from the cache or a lagging replica; with `after`, the read reflects at
 * least that write (a replica that caught up, else the primary).
 */
export const getProfileRequestSchema = z.object({
  userId: userIdField,
  after: writeTokenSchema.optional(),
});
export type GetProfileRequest = z.infer<typeof getProfileRequestSchema>;

export interface UserProfile {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  /** The user stream's version this profile reflects. */
  readonly version: number;
  readonly registeredAt: string;
  readonly updatedAt: string;
}
export type ProfileSource = 'cache' | 'replica' | 'primary';
export interface GetProfileReply {
  readonly profile: UserProfile;
  readonly source: ProfileSource;
}

export const updateProfileRequestSchema = z.object({
  userId: userIdField,
  actorId: userIdField,
  name: nameField,
  requestId: requestIdField,
});
export type UpdateProfileRequest = z.infer<typeof updateProfileRequestSchema>;

export const changeEmailRequestSchema = z.object({
  userId: userIdField,
  actorId: userIdField,
  email: emailField,
  requestId: requestIdField,
});
export type ChangeEmailRequest = z.infer<typeof changeEmailRequestSchema>;

export interface ProfileWriteReply {
  readonly profile: UserProfile;
  readonly write: WriteToken;
}
