import { describe, expect, it } from '@jest/globals';
import { FaultlineError } from '#libs/errors';
import pino from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { MessageMetrics } from './message-metrics.js';
import { deadlineOf, serveMessage } from './serve-message.js';

class TakenError extends FaultlineError<'EMAIL_TAKEN'> {
  readonly code = 'EMAIL_TAKEN' as const;
}

const setup = () => {
  const registry = new Registry();
  const deps = {
    metrics: new MessageMetrics(registry),
    logger: pino({ level: 'silent' }),
    translate: (error: unknown) => (error instanceof TakenError ? { code: 'EMAIL_TAKEN' as const, message: error.message } : undefined),
  };
  const count = async (outcome: string) =>
    (await registry.getSingleMetric('faultline_messages_handled_total')!.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { deps, count };
};

const schema = z.object({ email: z.email() });

describe('serveMessage', () => {
  it('answers the handler result in an ok envelope and counts it', async () => {
    const { deps, count } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, async (m) => m.email.toUpperCase());
    expect(reply).toEqual({ ok: true, value: 'A@B.ORG' });
    expect(await count('ok')).toBe(1);
  });

  it('refuses an invalid message with its fields without calling the handler', async () => {
    const { deps, count } = setup();
    let called = false;
    const reply = await serveMessage(deps, 'user.test', schema, { email: 42 }, async () => (called = true));
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', fields: [{ field: 'email' }] } });
    expect(called).toBe(false);
    expect(await count('invalid')).toBe(1);
  });

  it('turns a domain error into its coded refusal', async () => {
    const { deps } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, async () => {
      throw new TakenError('taken');
    });
    expect(reply).toEqual({ ok: false, error: { code: 'EMAIL_TAKEN', message: 'taken' } });
  });

  it('hides an unexpected error behind INTERNAL', async () => {
    const { deps, count } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, async () => {
      throw new Error('connection string postgres://secret');
    });
    expect(reply).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
    expect(await count('error')).toBe(1);
  });
});

describe('serveMessage with the caller\'s deadline', () => {
  it('skips a request whose deadline has passed: DEADLINE_EXCEEDED, counted as expired, the handler never called', async () => {
    const { deps, count } = setup();
    let called = false;
    const reply = await serveMessage({ ...deps, now: () => 10_000 }, 'user.test', schema, { email: 'a@b.org' }, async () => (called = true), 9_999);
    expect(reply).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(called).toBe(false);
    expect(await count('expired')).toBe(1);
  });

  it('gives the handler a signal that aborts when the deadline passes, and answers DEADLINE_EXCEEDED for the work it interrupted', async () => {
    const { deps, count } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, ({ email }, { signal }) => {
      expect(signal?.aborted).toBe(false);
      // Work that waits until it is told the caller left (a queue, a retry's backoff).
      return new Promise<string>((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true })).then(() => email);
    }, Date.now() + 50);
    expect(reply).toMatchObject({ ok: false, error: { code: 'DEADLINE_EXCEEDED' } });
    expect(await count('expired')).toBe(1);
  });

  it('still answers a domain error that happened after the deadline as that error', async () => {
    const { deps } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, async (_m, { signal }) => {
      await new Promise((resolve) => signal!.addEventListener('abort', resolve, { once: true }));
      throw new TakenError('taken');
    }, Date.now() + 20);
    expect(reply).toEqual({ ok: false, error: { code: 'EMAIL_TAKEN', message: 'taken' } });
  });

  it('gives no signal to a request without a deadline', async () => {
    const { deps } = setup();
    const reply = await serveMessage(deps, 'user.test', schema, { email: 'a@b.org' }, async (_m, context) => context.signal === undefined);
    expect(reply).toEqual({ ok: true, value: true });
  });
});

describe('deadlineOf', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? '' });

  it('reads the Faultline-Deadline header as milliseconds since the epoch', () => {
    expect(deadlineOf(headers({ 'Faultline-Deadline': '1790000000000' }))).toBe(1_790_000_000_000);
  });

  it('ignores a missing, empty or malformed header', () => {
    expect(deadlineOf(undefined)).toBeUndefined();
    expect(deadlineOf(headers({}))).toBeUndefined();
    expect(deadlineOf(headers({ 'Faultline-Deadline': 'soon' }))).toBeUndefined();
    expect(deadlineOf(headers({ 'Faultline-Deadline': '-5' }))).toBeUndefined();
  });
});
