import toxiproxyClient from 'toxiproxy-node-client';
import type { Link, Topology } from '#libs/topology';

const { Toxiproxy } = toxiproxyClient;

export const proxyBodyOf = (link: Link) => ({
  name: link.name,
  listen: `${link.listen.host}:${link.listen.port}`,
  upstream: `${link.upstream.host}:${link.upstream.port}`,
  enabled: true,
});

/**
 * Creates one proxy per link in a single /populate call. Populate leaves a proxy whose listen and
 * upstream are unchanged alone, so calling this against a running lab changes nothing.
 */
export async function populateLinks(faultProxyUrl: string, topology: Topology): Promise<number> {
  const toxiproxy = new Toxiproxy(faultProxyUrl);
  const proxies = await toxiproxy.populate(topology.links.map(proxyBodyOf));
  return Object.keys(proxies).length;
}
