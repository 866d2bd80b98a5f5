/** What a route handler answers; the HTTP layer writes it. */
export interface ApiResponse {
  readonly status: number;
  /** Body text exactly as sent (JSON is serialised by the handler so key order is under its control). */
  readonly body?: string;
  readonly contentType?: string;
}

const JSON_TYPE = 'application/json';

export const jsonResponse = (status: number, value: unknown): ApiResponse => ({
  status,
  body: JSON.stringify(value),
  contentType: JSON_TYPE,
});

/** A JSON object whose keys keep the given order even when they look like numbers. */
export const orderedJsonObject = (status: number, entries: ReadonlyArray<readonly [string, unknown]>): ApiResponse => ({
  status,
  body: `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`,
  contentType: JSON_TYPE,
});

export const noContent = (): ApiResponse => ({ status: 204 });

export const textResponse = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): ApiResponse => ({
  status,
  body,
  contentType,
});

/** The real server's error body, `{"error": message, "status": code}`, newline-terminated like Go's http.Error. */
export const errorResponse = (status: number, message: string, extra: Record<string, unknown> = {}): ApiResponse => ({
  status,
  body: `${JSON.stringify({ error: message, status, ...extra })}\n`,
  contentType: JSON_TYPE,
});
