import { describe, expect, it } from '@jest/globals';
import { NEVER, of, throwError } from 'rxjs';
import { isServiceCallError, requestReply, type RequestTransport } from './service-call.js';

const answering = (answer: unknown): RequestTransport => ({ send: () => of(answer) });
const failure = async (transport: RequestTransport, timeoutMs = 1_000) => {
  try {
    await requestReply(transport, 'media.content.get', {}, timeoutMs);
  } catch (error) {
    if (isServiceCallError(error)) return { failure: error.failure, retryable: error.retryable, code: error.serviceCode, message: error.message };
    throw error;
  }
  throw new Error('no failure');
};

describe('requestReply', () => {
  it("returns an ok reply's value", async () => {
    await expect(requestReply(answering({ ok: true, value: { a: 1 } }), 'media.get', {}, 1_000)).resolves.toEqual({ a: 1 });
  });

  it('gives up at its deadline, retryably', async () => {
    expect(await failure({ send: () => NEVER }, 20)).toEqual({ failure: 'timeout', retryable: true, code: undefined, message: 'media.content.get: no answer within 20 ms' });
  });

  it('classifies refusals: NOT_FOUND and UNAVAILABLE may pass later, VALIDATION_FAILED never', async () => {
    const refused = (code: string) => answering({ ok: false, error: { code, message: 'm' } });
    expect(await failure(refused('NOT_FOUND'))).toMatchObject({ failure: 'refused', retryable: true, code: 'NOT_FOUND' });
    expect(await failure(refused('UNAVAILABLE'))).toMatchObject({ retryable: true });
    expect(await failure(refused('VALIDATION_FAILED'))).toMatchObject({ retryable: false, message: 'media.content.get: refused: VALIDATION_FAILED: m' });
  });

  it('treats a transport error and a reply that is not an envelope as retryable failures', async () => {
    expect(await failure({ send: () => throwError(() => new Error('connection closed')) })).toMatchObject({ failure: 'transport', retryable: true });
    expect(await failure(answering({ hello: 'world' }))).toMatchObject({ failure: 'invalid-reply', retryable: true });
  });
});
