import type { EmailReleased, EmailReservationEvent, EmailReserved } from '#libs/contracts';
import type { Decider } from '#libs/event-store';
import type { Command } from './command.js';
import { EmailNotHeldError, EmailTakenError, type EmailHolder } from './email-reservation.errors.js';
import { normalizeEmail } from './stream-ids.js';

/** An address's reservation stream (`email-<sha256>`) folded: who holds it, if anyone. */
export type EmailReservationState = { readonly status: 'free' } | ({ readonly status: 'reserved'; readonly email: string } & EmailHolder);

/**
 * Reserve `email` for `userId`. Succeeds when it is free, and when `userId` already holds it (then the
 * reservation is renewed: a new `EmailReserved` moves the stream's version, so a takeover decided on the
 * older version fails — see README).
 *
 * `takeOverFrom`: the caller has established that this user does not use the address (DisclaimEmail on
 * their stream succeeded); the reservation passes to `userId` if that user still holds it and has held it
 * for at least `gracePeriodMs` (a registration in flight is never overtaken).
 */
export type ReserveEmail = Command<'ReserveEmail', { email: string; userId: string; now: string; takeOverFrom?: { userId: string; gracePeriodMs: number } }>;

/** Give `email` up; only its holder may. Releasing a free address changes nothing. */
export type ReleaseEmail = Command<'ReleaseEmail', { email: string; userId: string; now: string }>;

export type EmailReservationCommand = ReserveEmail | ReleaseEmail;

const initialState = (): EmailReservationState => ({ status: 'free' });

function evolve(state: EmailReservationState, event: EmailReservationEvent): EmailReservationState {
  switch (event.type) {
    case 'EmailReserved':
      return { status: 'reserved', email: event.data.email, userId: event.data.userId, reservedAt: event.data.reservedAt };
    case 'EmailReleased':
      return { status: 'free' };
  }
}

const heldLongEnough = (holder: EmailHolder, now: string, gracePeriodMs: number): boolean => Date.parse(now) - Date.parse(holder.reservedAt) >= gracePeriodMs;

function reserve({ data }: ReserveEmail, state: EmailReservationState): EmailReservationEvent[] {
  const email = normalizeEmail(data.email);
  const reserved: EmailReserved = { type: 'EmailReserved', data: { email, userId: data.userId, reservedAt: data.now } };
  if (state.status === 'free' || state.userId === data.userId) return [reserved];
  const { takeOverFrom } = data;
  if (takeOverFrom && takeOverFrom.userId === state.userId && heldLongEnough(state, data.now, takeOverFrom.gracePeriodMs)) {
    const released: EmailReleased = { type: 'EmailReleased', data: { email, userId: state.userId, releasedAt: data.now } };
    return [released, reserved];
  }
  throw new EmailTakenError(email, { userId: state.userId, reservedAt: state.reservedAt });
}

function release({ data }: ReleaseEmail, state: EmailReservationState): EmailReleased[] {
  const email = normalizeEmail(data.email);
  if (state.status === 'free') return [];
  if (state.userId !== data.userId) throw new EmailNotHeldError(email, data.userId);
  return [{ type: 'EmailReleased', data: { email, userId: data.userId, releasedAt: data.now } }];
}

function decide(command: EmailReservationCommand, state: EmailReservationState): readonly EmailReservationEvent[] {
  switch (command.type) {
    case 'ReserveEmail':
      return reserve(command, state);
    case 'ReleaseEmail':
      return release(command, state);
  }
}

/** An address's reservation stream as a decider for `handleCommand`. */
export const emailReservationDecider: Decider<EmailReservationState, EmailReservationCommand, EmailReservationEvent> = { decide, evolve, initialState };
