import { startFaultProxyServer, type FaultProxyServer } from '#libs/fault-proxy';

/**
 * The Toxiproxy server under test: TOXIPROXY_URL when set (so the same suite can judge a real
 * Toxiproxy), otherwise faultline's own server started in this process on a free port.
 */
export interface TargetServer {
  readonly url: string;
  /** True when TOXIPROXY_URL points elsewhere: faultline-only extensions are skipped. */
  readonly external: boolean;
  close(): Promise<void>;
}

export const externalUrl = process.env.TOXIPROXY_URL?.replace(/\/+$/, '') || undefined;

/** `it` for faultline-only behaviour: skipped when the suite runs against another server. */
export const onlyFaultline = <T extends (...args: never[]) => unknown>(it: T, skip: T): T => (externalUrl ? skip : it);

export async function startTargetServer(): Promise<TargetServer> {
  if (externalUrl) return { url: externalUrl, external: true, close: async () => {} };
  const server: FaultProxyServer = await startFaultProxyServer({ host: '127.0.0.1', port: 0 });
  return { url: server.url, external: false, close: () => server.close() };
}

let counter = 0;

/** A proxy name no other test (nor a parallel run against a shared server) uses. */
export const uniqueName = (label: string): string => `ft-${process.pid}-${++counter}-${label}`;
