import { FaultlineError } from '#libs/errors';

export type ApiErrorCode =
  | 'BAD_REQUEST_BODY'
  | 'BODY_TOO_LARGE'
  | 'MISSING_FIELD'
  | 'INVALID_PROXY_NAME'
  | 'PROXY_NOT_FOUND'
  | 'PROXY_EXISTS'
  | 'INVALID_STREAM'
  | 'INVALID_TOXIC_TYPE'
  | 'TOXIC_EXISTS'
  | 'TOXIC_NOT_FOUND'
  | 'BIND_FAILED'
  | 'BAD_QUERY';

/**
 * An answer of the Toxiproxy API other than success. `message` and `status` are exactly what the
 * wire carries (`{"error": message, "status": status}`), so they follow the real server's wording.
 */
export class ToxiproxyApiError extends FaultlineError<ApiErrorCode> {
  constructor(
    readonly code: ApiErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { error: string; status: number } {
    return { error: this.message, status: this.status };
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

export const apiErrors = {
  badRequestBody: (detail: string) => new ToxiproxyApiError('BAD_REQUEST_BODY', 400, `bad request body: ${detail}`),
  bodyTooLarge: () =>
    new ToxiproxyApiError('BODY_TOO_LARGE', 413, `request body too large: the limit is ${MAX_BODY_BYTES} bytes (1 MiB)`),
  missingField: (field: string) => new ToxiproxyApiError('MISSING_FIELD', 400, `missing required field: ${field}`),
  invalidProxyName: (reason: string) => new ToxiproxyApiError('INVALID_PROXY_NAME', 400, `invalid proxy name: ${reason}`),
  proxyNotFound: () => new ToxiproxyApiError('PROXY_NOT_FOUND', 404, 'proxy not found'),
  proxyExists: () => new ToxiproxyApiError('PROXY_EXISTS', 409, 'proxy already exists'),
  invalidStream: () =>
    new ToxiproxyApiError('INVALID_STREAM', 400, 'stream was invalid, can be either upstream or downstream'),
  invalidToxicType: () => new ToxiproxyApiError('INVALID_TOXIC_TYPE', 400, 'invalid toxic type'),
  toxicExists: () => new ToxiproxyApiError('TOXIC_EXISTS', 409, 'toxic already exists'),
  toxicNotFound: () => new ToxiproxyApiError('TOXIC_NOT_FOUND', 404, 'toxic not found'),
  bindFailed: (goStyleMessage: string) => new ToxiproxyApiError('BIND_FAILED', 500, goStyleMessage),
  badQuery: (detail: string) => new ToxiproxyApiError('BAD_QUERY', 400, `bad query: ${detail}`),
};
