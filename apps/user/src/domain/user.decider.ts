import type { EmailChanged, ProfileUpdated, RegistrationAbandoned, UserEvent, UserRegistered } from '#libs/contracts';
import type { Decider } from '#libs/event-store';
import type { Command } from './command.js';
import { EmailTakenError } from './email-reservation.errors.js';
import { normalizeEmail } from './stream-ids.js';
import { ForbiddenError, RegistrationAbandonedError, UserAlreadyExistsError, UserNotFoundError } from './user.errors.js';

/** A registered user: everything the user stream says, folded. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly passwordHash: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** The user stream folded: empty, registered, or closed by a takeover of its address before it began. */
export type UserState =
  | { readonly status: 'unregistered' }
  | { readonly status: 'registered'; readonly user: User }
  | { readonly status: 'abandoned'; readonly userId: string };

/** The email address must already be reserved for `userId` (see README): this only records the user. */
export type RegisterUser = Command<'RegisterUser', { userId: string; email: string; name: string; passwordHash: string; now: string }>;
export type UpdateProfile = Command<'UpdateProfile', { userId: string; actorId: string; name: string; now: string }>;
/** The new address must already be reserved for `userId`; releasing the previous one is the caller's next step. */
export type ChangeEmail = Command<'ChangeEmail', { userId: string; actorId: string; email: string; now: string }>;
/**
 * Establishes that `userId` does not use `email`, before that address is taken over from it: a stream
 * that never began is closed for good (so a late retry of its registration cannot complete), a user who
 * has moved to another address is left alone, and a user who has this address refuses with EMAIL_TAKEN.
 */
export type DisclaimEmail = Command<'DisclaimEmail', { userId: string; email: string; now: string }>;

export type UserCommand = RegisterUser | UpdateProfile | ChangeEmail | DisclaimEmail;

const initialState = (): UserState => ({ status: 'unregistered' });

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, email, name, passwordHash, registeredAt } = event.data;
      return { status: 'registered', user: { id: userId, email, name, passwordHash, registeredAt, updatedAt: registeredAt } };
    }
    case 'ProfileUpdated':
      return state.status === 'registered' ? { ...state, user: { ...state.user, name: event.data.name, updatedAt: event.data.updatedAt } } : state;
    case 'EmailChanged':
      return state.status === 'registered' ? { ...state, user: { ...state.user, email: event.data.email, updatedAt: event.data.changedAt } } : state;
    case 'RegistrationAbandoned':
      return { status: 'abandoned', userId: event.data.userId };
  }
}

/** The registered user a change applies to, after the owner check; throws the domain's refusal otherwise. */
function changeableUser(state: UserState, userId: string, actorId: string): User {
  // Ownership first: a stranger learns nothing about whether the user exists.
  if (actorId !== userId) throw new ForbiddenError(userId, actorId);
  if (state.status !== 'registered') throw new UserNotFoundError(userId);
  return state.user;
}

function register({ data }: RegisterUser, state: UserState): UserRegistered {
  if (state.status === 'registered') throw new UserAlreadyExistsError(data.userId);
  if (state.status === 'abandoned') throw new RegistrationAbandonedError(data.userId);
  const { userId, name, passwordHash, now } = data;
  return { type: 'UserRegistered', data: { userId, email: normalizeEmail(data.email), name, passwordHash, registeredAt: now } };
}

function updateProfile({ data }: UpdateProfile, state: UserState): ProfileUpdated[] {
  const user = changeableUser(state, data.userId, data.actorId);
  if (user.name === data.name) return [];
  return [{ type: 'ProfileUpdated', data: { userId: user.id, name: data.name, updatedAt: data.now } }];
}

function changeEmail({ data }: ChangeEmail, state: UserState): EmailChanged[] {
  const user = changeableUser(state, data.userId, data.actorId);
  const email = normalizeEmail(data.email);
  if (user.email === email) return [];
  return [{ type: 'EmailChanged', data: { userId: user.id, previousEmail: user.email, email, changedAt: data.now } }];
}

function disclaimEmail({ data }: DisclaimEmail, state: UserState): RegistrationAbandoned[] {
  const email = normalizeEmail(data.email);
  switch (state.status) {
    case 'unregistered':
      return [{ type: 'RegistrationAbandoned', data: { userId: data.userId, email, abandonedAt: data.now } }];
    case 'abandoned':
      return [];
    case 'registered':
      if (state.user.email === email) throw new EmailTakenError(email);
      return [];
  }
}

function decide(command: UserCommand, state: UserState): UserEvent | readonly UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return register(command, state);
    case 'UpdateProfile':
      return updateProfile(command, state);
    case 'ChangeEmail':
      return changeEmail(command, state);
    case 'DisclaimEmail':
      return disclaimEmail(command, state);
  }
}

/** The user stream (`user-<userId>`, on the user's shard) as a decider for `handleCommand`. */
export const userDecider: Decider<UserState, UserCommand, UserEvent> = { decide, evolve, initialState };
