import { createHash, timingSafeEqual } from 'node:crypto';
import { DashboardRequestError } from '../dashboard.errors.js';

/** Addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** The host name of a `Host` header or an origin's authority (`127.0.0.1:19002` → `127.0.0.1`, `[::1]:80` → `::1`). */
export function hostnameOf(authority: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(authority);
  if (v6) return v6[1]!;
  return authority.replace(/:\d+$/, '');
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * `Authorization: Bearer <token>` must carry the lab's admin token; compared in constant time (hashes of
 * equal length), so the answer's timing says nothing about how much of a guess was right.
 */
export function checkAdminToken(authorization: string | undefined, token: string): void {
  if (!authorization) throw new DashboardRequestError(401, 'Authorization', 'the workshop controls need the admin token: send the header Authorization: Bearer <token> (faultline up prints the token)');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new DashboardRequestError(401, 'Authorization', 'the Authorization header must be "Bearer <token>"');
  if (!timingSafeEqual(digest(match[1]!), digest(token))) throw new DashboardRequestError(401, 'Authorization', 'the admin token is wrong (faultline up prints it)');
}

export interface OriginCheck {
  /** The request's `Origin` header (browsers send it on every POST). */
  readonly origin: string | undefined;
  /** The request's `Host` header. */
  readonly host: string | undefined;
  /** `Sec-Fetch-Site`, where the browser sends it. */
  readonly fetchSite: string | undefined;
  /** Without --allow-remote, the dashboard answers only to loopback host names (no DNS rebinding). */
  readonly allowRemote: boolean;
}

/**
 * A state-changing request must come from the dashboard's own page: a browser's Origin must be the
 * origin the request was addressed to (`http://<Host>`), and the Host a loopback name unless remote
 * access was allowed (a DNS-rebound name would otherwise pass as same-origin). Requests without Origin
 * (curl, scripts) are not a browser's cross-site request; they still need the token.
 */
export function checkSameOrigin(request: OriginCheck): void {
  if (!request.host) throw new DashboardRequestError(403, 'Host', 'the request has no Host header');
  if (!request.allowRemote && !isLoopbackHost(hostnameOf(request.host))) {
    throw new DashboardRequestError(403, 'Host', `the dashboard answers state-changing requests only under a loopback name (127.0.0.1, localhost), not "${request.host}"`);
  }
  if (request.fetchSite !== undefined && request.fetchSite !== 'same-origin' && request.fetchSite !== 'none') {
    throw new DashboardRequestError(403, 'Sec-Fetch-Site', `cross-site request refused (Sec-Fetch-Site: ${request.fetchSite})`);
  }
  if (request.origin !== undefined && request.origin !== `http://${request.host}`) {
    throw new DashboardRequestError(403, 'Origin', `requests from another origin are refused: Origin ${request.origin} is not this dashboard's (http://${request.host})`);
  }
}
