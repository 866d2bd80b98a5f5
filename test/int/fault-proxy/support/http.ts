/** Raw HTTP against the API, to check status codes and bodies byte by byte. */
export interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: any;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: string | object,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    // fetch refuses a body on GET/HEAD; those routes never read one anyway.
    body: body === undefined || method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'user-agent': 'faultline-conformance', ...headers },
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, headers: response.headers, json };
}

/** An API bound to one base URL. */
export const apiAt = (baseUrl: string) => ({
  get: (path: string, headers?: Record<string, string>) => request(baseUrl, 'GET', path, undefined, headers),
  post: (path: string, body?: string | object, headers?: Record<string, string>) => request(baseUrl, 'POST', path, body, headers),
  patch: (path: string, body?: string | object) => request(baseUrl, 'PATCH', path, body),
  delete: (path: string) => request(baseUrl, 'DELETE', path),
  send: (method: string, path: string, body?: string | object) => request(baseUrl, method, path, body),
});

export type Api = ReturnType<typeof apiAt>;
