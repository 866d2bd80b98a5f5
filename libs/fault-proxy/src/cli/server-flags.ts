import { FaultlineError } from '#libs/errors';

/** A flag value the server cannot use; the message says what to type instead. */
export class ServerFlagError extends FaultlineError<'SERVER_FLAG_INVALID'> {
  readonly code = 'SERVER_FLAG_INVALID' as const;
}

/** The real toxiproxy-server's flags (Go's flag package: `-name value`, `-name=value`, `--name`). */
const valueFlags = new Set(['host', 'port', 'config', 'seed']);
const booleanFlags = new Set(['proxy-metrics', 'runtime-metrics', 'version', 'help']);

/**
 * Rewrites the real binary's single-dash long flags (`-host`, `-port=0`, `-proxy-metrics=true`) into
 * the double-dash form commander parses; everything else passes unchanged. Go's boolean flags take
 * `=true`/`=false`, which becomes the flag or nothing.
 */
export function normalizeServerArgs(args: readonly string[]): string[] {
  const normalized: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      normalized.push(...args.slice(i));
      break;
    }
    const match = /^--?([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    const value = match?.[2];
    if (name !== undefined && valueFlags.has(name)) {
      normalized.push(value === undefined ? `--${name}` : `--${name}=${value}`);
    } else if (name !== undefined && booleanFlags.has(name)) {
      if (value === undefined || /^(1|t|T|true|TRUE|True)$/.test(value)) normalized.push(`--${name}`);
      else if (!/^(0|f|F|false|FALSE|False)$/.test(value)) {
        throw new ServerFlagError(`-${name} is a switch: give it alone (-${name}) or as -${name}=true / -${name}=false, not "${value}"`);
      }
    } else {
      normalized.push(arg);
    }
  }
  return normalized;
}

export function parsePortFlag(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ServerFlagError(`expected a TCP port number from 0 to 65535 (0 picks a free port), e.g. -port 8474; got "${value}"`);
  }
  return Number(value);
}

export function parseHostFlag(value: string): string {
  const host = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (host === '' || /[\s/]/.test(host) || (host.includes(':') && !/^[0-9a-fA-F:.]+$/.test(host))) {
    throw new ServerFlagError(`expected an IP address or host name to listen on, e.g. -host 127.0.0.1 (or -host 0.0.0.0 for every interface); got "${value}"`);
  }
  return host;
}

export function parseSeedFlag(value: string): number {
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new ServerFlagError(`expected an integer seed, e.g. -seed 42; got "${value}"`);
  }
  return Number(value);
}

export function parseConfigFlag(value: string): string {
  if (value.trim() === '') throw new ServerFlagError('expected the path of a JSON file of proxies, e.g. -config proxies.json');
  return value;
}
