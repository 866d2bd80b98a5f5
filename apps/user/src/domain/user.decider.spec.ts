import { describe, expect, it } from '@jest/globals';
import type { EmailChanged, ProfileUpdated, RegistrationAbandoned, UserEvent, UserRegistered } from '#libs/contracts';
import { given } from './decider.specification.js';
import { userDecider, type UserCommand } from './user.decider.js';

const ADA = '00000000-0000-8000-8000-000000000001';
const EVE = '00000000-0000-8000-8000-000000000002';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { userId: ADA, email: 'ada@example.org', name: 'Ada', passwordHash: 'scrypt$…', registeredAt: T0 },
};
const abandoned: RegistrationAbandoned = { type: 'RegistrationAbandoned', data: { userId: ADA, email: 'ada@example.org', abandonedAt: T0 } };

const register: UserCommand = { type: 'RegisterUser', data: { userId: ADA, email: ' Ada@Example.org ', name: 'Ada', passwordHash: 'scrypt$…', now: T0 } };
const rename = (name: string, actorId = ADA): UserCommand => ({ type: 'UpdateProfile', data: { userId: ADA, actorId, name, now: T1 } });
const changeEmail = (email: string, actorId = ADA): UserCommand => ({ type: 'ChangeEmail', data: { userId: ADA, actorId, email, now: T1 } });
const disclaim = (email: string): UserCommand => ({ type: 'DisclaimEmail', data: { userId: ADA, email, now: T1 } });

const user = (past: readonly UserEvent[]) => given(userDecider, past);

describe('user decider', () => {
  describe('RegisterUser', () => {
    it('given no events, when registering, then the user is registered with the normalized address', async () => {
      expect(await user([]).when(register)).toEqual({ events: [registered] });
    });

    it('given a registered user, when registering again, then USER_ALREADY_EXISTS', async () => {
      const outcome = await user([registered]).when(register);
      expect(outcome).toEqual({ error: expect.objectContaining({ code: 'USER_ALREADY_EXISTS', userId: ADA }) });
    });

    it('given an abandoned stream, when the registration comes back, then REGISTRATION_ABANDONED', async () => {
      expect(await user([abandoned]).when(register)).toEqual({ error: expect.objectContaining({ code: 'REGISTRATION_ABANDONED' }) });
    });
  });

  describe('UpdateProfile', () => {
    it('given a registered user, when they rename themselves, then ProfileUpdated', async () => {
      const updated: ProfileUpdated = { type: 'ProfileUpdated', data: { userId: ADA, name: 'Ada L.', updatedAt: T1 } };
      expect(await user([registered]).when(rename('Ada L.'))).toEqual({ events: [updated] });
    });

    it('given a registered user, when they set the name they already have, then nothing happens', async () => {
      expect(await user([registered]).when(rename('Ada'))).toEqual({ events: [] });
    });

    it('given a registered user, when someone else renames them, then FORBIDDEN', async () => {
      expect(await user([registered]).when(rename('Mallory', EVE))).toEqual({ error: expect.objectContaining({ code: 'FORBIDDEN', actorId: EVE }) });
    });

    it('given no events, when renaming, then USER_NOT_FOUND (and FORBIDDEN for a stranger, who learns nothing)', async () => {
      expect(await user([]).when(rename('Ada'))).toEqual({ error: expect.objectContaining({ code: 'USER_NOT_FOUND' }) });
      expect(await user([]).when(rename('Ada', EVE))).toEqual({ error: expect.objectContaining({ code: 'FORBIDDEN' }) });
      expect(await user([abandoned]).when(rename('Ada'))).toEqual({ error: expect.objectContaining({ code: 'USER_NOT_FOUND' }) });
    });
  });

  describe('ChangeEmail', () => {
    it('given a registered user, when they change their address, then EmailChanged names the previous one', async () => {
      const changed: EmailChanged = { type: 'EmailChanged', data: { userId: ADA, previousEmail: 'ada@example.org', email: 'ada@lovelace.org', changedAt: T1 } };
      expect(await user([registered]).when(changeEmail('ADA@lovelace.org'))).toEqual({ events: [changed] });
    });

    it('given a registered user, when they change to the address they have, then nothing happens', async () => {
      expect(await user([registered]).when(changeEmail('ada@example.org'))).toEqual({ events: [] });
    });

    it('refuses strangers and unknown users', async () => {
      expect(await user([registered]).when(changeEmail('x@example.org', EVE))).toEqual({ error: expect.objectContaining({ code: 'FORBIDDEN' }) });
      expect(await user([]).when(changeEmail('x@example.org'))).toEqual({ error: expect.objectContaining({ code: 'USER_NOT_FOUND' }) });
    });

    it('given a renamed and re-addressed user, the fold keeps every change', () => {
      const state = [
        registered,
        { type: 'ProfileUpdated', data: { userId: ADA, name: 'Ada L.', updatedAt: T1 } } as ProfileUpdated,
        { type: 'EmailChanged', data: { userId: ADA, previousEmail: 'ada@example.org', email: 'ada@lovelace.org', changedAt: T1 } } as EmailChanged,
      ].reduce(userDecider.evolve, userDecider.initialState());
      expect(state).toEqual({
        status: 'registered',
        user: { id: ADA, email: 'ada@lovelace.org', name: 'Ada L.', passwordHash: 'scrypt$…', registeredAt: T0, updatedAt: T1 },
      });
    });
  });

  describe('DisclaimEmail (before a takeover of the address)', () => {
    it('given no events, when disclaiming, then the stream is closed with RegistrationAbandoned', async () => {
      expect(await user([]).when(disclaim('Ada@example.org'))).toEqual({
        events: [{ type: 'RegistrationAbandoned', data: { userId: ADA, email: 'ada@example.org', abandonedAt: T1 } }],
      });
    });

    it('given an abandoned stream, when disclaiming again, then nothing happens', async () => {
      expect(await user([abandoned]).when(disclaim('ada@example.org'))).toEqual({ events: [] });
    });

    it('given a user who moved to another address, when disclaiming the old one, then nothing happens', async () => {
      expect(await user([registered]).when(disclaim('old@example.org'))).toEqual({ events: [] });
    });

    it('given a user who has the address, when disclaiming it, then EMAIL_TAKEN', async () => {
      expect(await user([registered]).when(disclaim('ada@example.org'))).toEqual({ error: expect.objectContaining({ code: 'EMAIL_TAKEN' }) });
    });
  });
});
