/** One answer of the public API, body parsed when it is JSON. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly path: string;
  /** Sent as the `Idempotency-Key` and the `X-Request-Id`: one key per operation, so a retry is the same command. */
  readonly requestId: string;
  readonly json?: unknown;
  readonly form?: FormData;
  readonly token?: string;
  /** `X-Client-Region`: the geo front sends the client to the DC of its region. */
  readonly region?: string;
}

/**
 * The workload's HTTP client for the lab's entrypoint (`fetch`, Node's undici, keep-alive). Every request is
 * cut off after `timeoutMs` (an AbortSignal): the operation then completes as info, never waits forever.
 * Rejects only when no answer came (timeout, refused, reset); every status is an answer.
 */
export class WorkloadHttp {
  constructor(
    readonly baseUrl: string,
    readonly timeoutMs: number,
  ) {}

  async send(request: ApiRequest): Promise<ApiAnswer> {
    const headers: Record<string, string> = { 'x-request-id': request.requestId, accept: 'application/json' };
    if (request.method !== 'GET') headers['idempotency-key'] = request.requestId;
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.region) headers['x-client-region'] = request.region;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const response = await fetch(`${this.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.form ?? (request.json === undefined ? undefined : JSON.stringify(request.json)),
      signal,
    });
    // The body is part of the answer: a timeout while reading it is still no answer.
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, body, headers: response.headers };
  }
}
