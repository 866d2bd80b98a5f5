import type { Api } from './http.js';

export interface CreatedProxy {
  readonly name: string;
  /** `127.0.0.1:<port>` as the server reports it. */
  readonly listen: string;
  readonly port: number;
}

export const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));

/** Creates a proxy on a free 127.0.0.1 port through the raw API and checks it was created. */
export async function createProxy(api: Api, name: string, upstream: string, extra: Record<string, unknown> = {}): Promise<CreatedProxy> {
  const response = await api.post('/proxies', { name, listen: '127.0.0.1:0', upstream, ...extra });
  if (response.status !== 201) throw new Error(`creating proxy ${name} answered ${response.status}: ${response.text}`);
  return { name, listen: response.json.listen, port: portOf(response.json.listen) };
}

export async function addToxic(api: Api, proxy: string, toxic: Record<string, unknown>): Promise<any> {
  const response = await api.post(`/proxies/${encodeURIComponent(proxy)}/toxics`, toxic);
  if (response.status !== 200) throw new Error(`adding toxic to ${proxy} answered ${response.status}: ${response.text}`);
  return response.json;
}

/** Deletes every proxy the suite created whose name starts with `prefix` (safe on a shared server). */
export async function deleteProxies(api: Api, prefix: string): Promise<void> {
  const list = await api.get('/proxies');
  for (const name of Object.keys(list.json ?? {})) {
    if (name.startsWith(prefix)) await api.delete(`/proxies/${encodeURIComponent(name)}`);
  }
}
