import { describe, expect, it } from '@jest/globals';
import { classifyAnswer, classifyRequestError } from './outcome.js';

const body = (code: string, message = '') => ({ error: { code, message }, requestId: 'r' });

describe('classifyAnswer', () => {
  it('2xx is ok', () => {
    expect(classifyAnswer('register', 201, { id: 'u' })).toEqual({ type: 'ok' });
    expect(classifyAnswer('read', 200, {})).toEqual({ type: 'ok' });
  });

  it("4xx is a definite failure with the API's code: the request was refused", () => {
    expect(classifyAnswer('register', 409, body('EMAIL_TAKEN'))).toEqual({ type: 'fail', error: { code: 'EMAIL_TAKEN', message: '', status: 409 } });
    expect(classifyAnswer('read', 404, body('USER_NOT_FOUND'))).toMatchObject({ type: 'fail', error: { code: 'USER_NOT_FOUND' } });
    expect(classifyAnswer('update', 429, body('RATE_LIMITED'))).toMatchObject({ type: 'fail' });
    expect(classifyAnswer('update', 401, 'not json')).toMatchObject({ type: 'fail', error: { code: 'HTTP_401', status: 401 } });
  });

  it('408 is indefinite', () => {
    expect(classifyAnswer('update', 408, '')).toMatchObject({ type: 'info' });
  });

  it('5xx fails a read or a login, which change nothing', () => {
    expect(classifyAnswer('read', 503, body('SERVICE_UNAVAILABLE', 'the user service did not answer user.get'))).toMatchObject({ type: 'fail', error: { code: 'SERVICE_UNAVAILABLE', status: 503 } });
    expect(classifyAnswer('login', 502, '')).toMatchObject({ type: 'fail', error: { code: 'HTTP_502' } });
  });

  it('5xx leaves a write indefinite (it may have been applied), unless the circuit was open and nothing was sent', () => {
    expect(classifyAnswer('update', 503, body('SERVICE_UNAVAILABLE', 'the user service did not answer user.update'))).toMatchObject({ type: 'info' });
    expect(classifyAnswer('register', 503, body('UNAVAILABLE', 'shard 0 unavailable'))).toMatchObject({ type: 'info' });
    expect(classifyAnswer('upload', 504, '')).toMatchObject({ type: 'info', error: { code: 'HTTP_504' } });
    expect(classifyAnswer('update', 503, body('CIRCUIT_OPEN', 'the user service is unavailable (circuit open): the request was not sent'))).toMatchObject({
      type: 'fail',
      error: { code: 'CIRCUIT_OPEN', status: 503 },
    });
    expect(classifyAnswer('upload', 503, body('CIRCUIT_OPEN'))).toMatchObject({ type: 'fail' });
  });

  it('decides by the code, never by the message text', () => {
    expect(classifyAnswer('update', 503, body('SERVICE_UNAVAILABLE', 'the user service is unavailable (circuit open)'))).toMatchObject({ type: 'info' });
  });
});

describe('classifyRequestError', () => {
  it('a timeout is info, never a failure', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyRequestError(timeout)).toMatchObject({ type: 'info', error: { code: 'TIMEOUT' } });
    expect(classifyRequestError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toMatchObject({ type: 'info' });
  });

  it('a refused connection is a failure: nothing was delivered', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    expect(classifyRequestError(refused)).toMatchObject({ type: 'fail', error: { code: 'CONNECTION_REFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' } });
  });

  it('a reset or closed connection after sending is info', () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect(classifyRequestError(reset)).toMatchObject({ type: 'info', error: { code: 'CONNECTION_RESET' } });
    const closed = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(classifyRequestError(closed)).toMatchObject({ type: 'info', error: { code: 'CONNECTION_RESET' } });
    expect(classifyRequestError(new Error('weird'))).toMatchObject({ type: 'info', error: { code: 'REQUEST_FAILED' } });
  });
});
