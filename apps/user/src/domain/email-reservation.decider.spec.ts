import { describe, expect, it } from '@jest/globals';
import type { EmailReleased, EmailReservationEvent, EmailReserved } from '#libs/contracts';
import { given } from './decider.specification.js';
import { emailReservationDecider, type EmailReservationCommand } from './email-reservation.decider.js';

const ADA = '00000000-0000-8000-8000-000000000001';
const EVE = '00000000-0000-8000-8000-000000000002';
const EMAIL = 'ada@example.org';
const T0 = '2026-01-01T00:00:00.000Z';
const GRACE_MS = 60_000;
const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

const reservedBy = (userId: string, reservedAt = T0): EmailReserved => ({ type: 'EmailReserved', data: { email: EMAIL, userId, reservedAt } });
const releasedBy = (userId: string, releasedAt = T0): EmailReleased => ({ type: 'EmailReleased', data: { email: EMAIL, userId, releasedAt } });
const reserve = (userId: string, now: string, takeOverFrom?: string): EmailReservationCommand => ({
  type: 'ReserveEmail',
  data: { email: 'ADA@example.org', userId, now, ...(takeOverFrom !== undefined && { takeOverFrom: { userId: takeOverFrom, gracePeriodMs: GRACE_MS } }) },
});
const release = (userId: string, now: string): EmailReservationCommand => ({ type: 'ReleaseEmail', data: { email: EMAIL, userId, now } });

const address = (past: readonly EmailReservationEvent[]) => given(emailReservationDecider, past);

describe('email reservation decider', () => {
  describe('ReserveEmail', () => {
    it('given a free address, when reserving, then it is reserved (normalized)', async () => {
      expect(await address([]).when(reserve(ADA, T0))).toEqual({ events: [reservedBy(ADA)] });
      expect(await address([reservedBy(EVE), releasedBy(EVE)]).when(reserve(ADA, T0))).toEqual({ events: [reservedBy(ADA)] });
    });

    it('given an address held by the same user, when reserving again, then it succeeds and renews the reservation', async () => {
      expect(await address([reservedBy(ADA)]).when(reserve(ADA, at(5)))).toEqual({ events: [reservedBy(ADA, at(5))] });
    });

    it('given an address held by someone else, when reserving, then EMAIL_TAKEN naming the holder (for the service only)', async () => {
      const outcome = await address([reservedBy(EVE)]).when(reserve(ADA, at(GRACE_MS * 10)));
      expect(outcome).toEqual({ error: expect.objectContaining({ code: 'EMAIL_TAKEN', holder: { userId: EVE, reservedAt: T0 } }) });
      expect((outcome as { error: Error }).error.message).not.toContain(EVE);
    });

    it('given a reservation older than the grace period, when taking over from its holder, then it is released and reserved in one append', async () => {
      const now = at(GRACE_MS);
      expect(await address([reservedBy(EVE)]).when(reserve(ADA, now, EVE))).toEqual({ events: [releasedBy(EVE, now), reservedBy(ADA, now)] });
    });

    it('given a reservation younger than the grace period, when taking over, then EMAIL_TAKEN (a registration in flight is never overtaken)', async () => {
      expect(await address([reservedBy(EVE)]).when(reserve(ADA, at(GRACE_MS - 1), EVE))).toEqual({ error: expect.objectContaining({ code: 'EMAIL_TAKEN' }) });
    });

    it('given a reservation renewed since the takeover was decided, when taking over, then EMAIL_TAKEN', async () => {
      const renewed = [reservedBy(EVE), reservedBy(EVE, at(GRACE_MS))];
      expect(await address(renewed).when(reserve(ADA, at(GRACE_MS + 1), EVE))).toEqual({ error: expect.objectContaining({ code: 'EMAIL_TAKEN' }) });
    });

    it('given an address that passed to a third user, when taking over from the old holder, then EMAIL_TAKEN', async () => {
      const moved = [reservedBy(EVE), releasedBy(EVE), reservedBy('someone-else')];
      expect(await address(moved).when(reserve(ADA, at(GRACE_MS * 2), EVE))).toEqual({ error: expect.objectContaining({ code: 'EMAIL_TAKEN' }) });
    });
  });

  describe('ReleaseEmail', () => {
    it('given an address held by the user, when they release it, then EmailReleased', async () => {
      expect(await address([reservedBy(ADA)]).when(release(ADA, at(1)))).toEqual({ events: [releasedBy(ADA, at(1))] });
    });

    it('given a free address, when releasing, then nothing happens', async () => {
      expect(await address([]).when(release(ADA, T0))).toEqual({ events: [] });
      expect(await address([reservedBy(ADA), releasedBy(ADA)]).when(release(ADA, T0))).toEqual({ events: [] });
    });

    it('given an address held by someone else, when releasing, then EMAIL_NOT_HELD', async () => {
      expect(await address([reservedBy(EVE)]).when(release(ADA, T0))).toEqual({ error: expect.objectContaining({ code: 'EMAIL_NOT_HELD' }) });
    });
  });
});
