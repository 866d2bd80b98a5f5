import { lookup } from 'node:dns/promises';
import { isIP, type AddressInfo } from 'node:net';

/** An address the real server (Go's net package) would refuse; `message` uses Go's wording. */
export class AddressError extends Error {}

/** Go's net.SplitHostPort: `host:port`, `[v6]:port`, `:port`; the port is everything after the last colon. */
export function splitHostPort(address: string): { host: string; port: string } {
  const refuse = (why: string): never => {
    throw new AddressError(`address ${address}: ${why}`);
  };
  const lastColon = address.lastIndexOf(':');
  if (lastColon < 0) return refuse('missing port in address');
  let host: string;
  let bracketFrom = 0;
  let closeFrom = 0;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0) return refuse("missing ']' in address");
    if (end + 1 === address.length) return refuse('missing port in address');
    if (end + 1 !== lastColon) return refuse(address[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = address.slice(1, end);
    bracketFrom = 1;
    closeFrom = end + 1;
  } else {
    host = address.slice(0, lastColon);
    if (host.includes(':')) return refuse('too many colons in address');
  }
  if (address.slice(bracketFrom).includes('[')) return refuse("unexpected '[' in address");
  if (address.slice(closeFrom).includes(']')) return refuse("unexpected ']' in address");
  return { host, port: address.slice(lastColon + 1) };
}

/** Go's port rule: decimal up to 65535, empty meaning 0; names would need a services lookup. */
export function parsePort(port: string): number {
  if (port === '') return 0;
  if (!/^\d+$/.test(port)) throw new AddressError(`lookup tcp/${port}: unknown port`);
  const value = Number(port);
  if (value > 65535) throw new AddressError(`address ${port}: invalid port`);
  return value;
}

export interface ListenTarget {
  /** undefined: every interface (dual-stack where the system allows). */
  readonly host: string | undefined;
  readonly port: number;
}

const isWildcard = (host: string): boolean => host === '' || host === '0.0.0.0' || host === '::';

/**
 * Where to bind for a proxy's `listen`. Like Go, a wildcard binds every interface, `localhost`
 * binds 127.0.0.1, and other names resolve with IPv4 preferred.
 */
export async function resolveListenTarget(listen: string): Promise<ListenTarget> {
  // Go accepts an empty address as "any interface, any port".
  const { host, port } = listen === '' ? { host: '', port: '' } : splitHostPort(listen);
  const portNumber = parsePort(port);
  if (isWildcard(host)) return { host: undefined, port: portNumber };
  if (host === 'localhost') return { host: '127.0.0.1', port: portNumber };
  if (isIP(host)) return { host, port: portNumber };
  try {
    const addresses = await lookup(host, { all: true });
    const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
    if (!chosen) throw new Error('no addresses');
    return { host: chosen.address, port: portNumber };
  } catch {
    throw new AddressError(`lookup ${host}: no such host`);
  }
}

/** Go's `listener.Addr().String()`: `127.0.0.1:8474`, `[::1]:8474`, `[::]:8474`. */
export function formatBoundAddress(address: AddressInfo): string {
  return address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

/** An upstream to dial: host (empty means the local system, as in Go) and a non-zero port. */
export function parseUpstream(upstream: string): { host: string; port: number } {
  const { host, port } = splitHostPort(upstream);
  const portNumber = parsePort(port);
  if (portNumber === 0) throw new AddressError(`address ${upstream}: invalid port`);
  return { host: host === '' ? 'localhost' : host, port: portNumber };
}

/** Whether a populate entry's `listen` names the address an existing proxy already has. */
export function sameListenAddress(current: string, requested: string): boolean {
  if (current === requested) return true;
  try {
    const { host, port } = splitHostPort(requested);
    return host === 'localhost' && parsePort(port) !== 0 && current === `127.0.0.1:${parsePort(port)}`;
  } catch {
    return false;
  }
}

/** The errno text Go prints for a failed bind. */
export function describeBindError(listen: string, error: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    EADDRINUSE: 'address already in use',
    EACCES: 'permission denied',
    EADDRNOTAVAIL: 'cannot assign requested address',
    EAFNOSUPPORT: 'address family not supported by protocol',
  };
  return `listen tcp ${listen}: bind: ${reasons[error.code ?? ''] ?? error.message}`;
}
