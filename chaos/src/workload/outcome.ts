import { CIRCUIT_OPEN } from '#libs/contracts';
import { isWriteKind, type OperationError, type OperationKind } from '../history/operation.js';

/** How one operation ended, before it is recorded: `info` is indefinite — it may or may not have happened. */
export type Outcome = { readonly type: 'ok' } | { readonly type: 'fail' | 'info'; readonly error: OperationError };

/** The API's error envelope: `{ error: { code, message }, requestId }`. */
const apiError = (body: unknown): { code?: string; message?: string } => {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ...(typeof error?.code === 'string' && { code: error.code }),
    ...(typeof error?.message === 'string' && { message: error.message }),
  };
};

/**
 * An HTTP answer → ok / fail / info.
 * - 2xx: ok. 4xx: fail — the request was refused (validation, auth, not found, conflict, rate limit), nothing
 *   was applied; 408 is the exception (the server gave up reading it: unknown).
 * - 5xx on a read or a login: fail (a read changes nothing, so "it did not work" is all there is to know).
 * - 5xx on a write: info, unless its code is CIRCUIT_OPEN: the gateway's circuit breaker refused it before
 *   sending it to the service, so nothing was applied (the code, never the message text, decides).
 *   A 503 after a service timeout, the service's own UNAVAILABLE ("the write may have committed"), a 502/504 of
 *   the load balancer: the command may well have been applied, and calling it failed would be a lie the
 *   checkers believe.
 */
export function classifyAnswer(f: OperationKind, status: number, body: unknown): Outcome {
  if (status >= 200 && status < 300) return { type: 'ok' };
  const { code, message } = apiError(body);
  const error: OperationError = { code: code ?? `HTTP_${status}`, status, ...(message !== undefined && { message }) };
  if (status === 408) return { type: 'info', error };
  if (status < 500) return { type: 'fail', error };
  if (!isWriteKind(f)) return { type: 'fail', error };
  return code === CIRCUIT_OPEN ? { type: 'fail', error } : { type: 'info', error };
}

/** Codes of errors that prove the request never reached a server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

const causeCode = (error: unknown): string | undefined => {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/**
 * A request that got no answer → fail or info. Our own timeout and a connection reset or closed after the
 * request was sent are indefinite (info); a refused connection never delivered anything (fail).
 */
export function classifyRequestError(error: unknown): Outcome {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { type: 'info', error: { code: 'TIMEOUT', message: 'no answer within the operation timeout' } };
  const code = causeCode(error);
  const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  if (code !== undefined && NEVER_SENT.has(code)) return { type: 'fail', error: { code: 'CONNECTION_REFUSED', message } };
  return { type: 'info', error: { code: code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'CONNECTION_RESET' : (code ?? 'REQUEST_FAILED'), message } };
}
