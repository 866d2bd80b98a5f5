import { FaultlineError } from '#libs/errors';

export const TOXIPROXY_URL_VARIABLE = 'FAULTLINE_TOXIPROXY_URL';

/** Where faultline's own `toxiproxy-server` listens unless told otherwise. */
export const DEFAULT_TOXIPROXY_URL = 'http://127.0.0.1:8474';

export class ToxiproxyUrlError extends FaultlineError<'TOXIPROXY_URL_INVALID'> {
  readonly code = 'TOXIPROXY_URL_INVALID' as const;
}

/**
 * The Toxiproxy API to use: FAULTLINE_TOXIPROXY_URL when set (a real Toxiproxy, say), otherwise
 * faultline's own server at its default address. Trailing slashes are dropped so paths can be appended.
 */
export function toxiproxyUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env[TOXIPROXY_URL_VARIABLE]?.trim();
  if (!raw) return DEFAULT_TOXIPROXY_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ToxiproxyUrlError(`${TOXIPROXY_URL_VARIABLE} must be a URL like ${DEFAULT_TOXIPROXY_URL}; got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ToxiproxyUrlError(`${TOXIPROXY_URL_VARIABLE} must be an http:// or https:// URL like ${DEFAULT_TOXIPROXY_URL}; got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}
