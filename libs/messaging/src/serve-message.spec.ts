import { describe, expect, it } from '@jest/globals';
import { FaultlineError } from '#libs/errors';
import pino from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { MessageMetrics } from './message-metrics.js';
import { serveMessage } from './serve-message.js';

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
