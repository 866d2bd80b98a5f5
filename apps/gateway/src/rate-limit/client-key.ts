import { createHash } from 'node:crypto';

interface ClientRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly ip: string;
}

/**
 * Who a request counts against: the session's token when it has one (hashed: keys are visible in
 * Redis), else the client's address. Behind the lab's HAProxy the address is the last entry of
 * `X-Forwarded-For` — the one the load balancer appended; earlier entries are the client's to forge.
 */
export function clientKeyOf(request: ClientRequest, bearerToken: string | undefined): string {
  if (bearerToken !== undefined) return `token:${createHash('sha256').update(bearerToken).digest('base64url').slice(0, 22)}`;
  const forwarded = request.headers['x-forwarded-for'];
  const chain = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((entry) => entry.trim());
  const last = chain.filter((entry) => entry !== '').at(-1);
  return `ip:${last ?? request.ip}`;
}
