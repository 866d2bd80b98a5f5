import { float32ToJsonNumber } from '../api/go-json.js';
import type { FaultProxy } from '../core/fault-proxy.js';
import { directions } from '../core/toxic-definition.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

const labels = (values: Record<string, string>): string => {
  const pairs = Object.entries(values).map(([key, value]) => `${key}="${escapeLabel(value)}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
};

class MetricWriter {
  private readonly lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge', help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [sampleLabels, value] of samples) this.lines.push(`${name}${labels(sampleLabels)} ${value}`);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export interface RuntimeSample {
  readonly residentMemoryBytes: number;
  readonly heapUsedBytes: number;
}

/**
 * Prometheus text for every proxy, computed at scrape time from the sockets' own byte counters, so
 * the data path carries no metrics work. Byte counters use the real server's names and labels.
 */
export function renderProxyMetrics(proxies: readonly FaultProxy[], runtime?: RuntimeSample): string {
  const writer = new MetricWriter();
  const linkLabels = (proxy: FaultProxy, direction: string): Record<string, string> => ({
    direction,
    proxy: proxy.name,
    listener: proxy.listen,
    upstream: proxy.upstream,
  });
  const traffic = proxies.map((proxy) => [proxy, proxy.traffic] as const);
  writer.family(
    'toxiproxy_proxy_received_bytes_total',
    'counter',
    'Bytes the proxy read: from clients (upstream) or from the upstream server (downstream).',
    traffic.flatMap(([proxy, t]): Array<[Record<string, string>, number]> => [
      [linkLabels(proxy, 'upstream'), t.upstreamReceived],
      [linkLabels(proxy, 'downstream'), t.downstreamReceived],
    ]),
  );
  writer.family(
    'toxiproxy_proxy_sent_bytes_total',
    'counter',
    'Bytes the proxy wrote: to the upstream server (upstream) or to clients (downstream).',
    traffic.flatMap(([proxy, t]): Array<[Record<string, string>, number]> => [
      [linkLabels(proxy, 'upstream'), t.upstreamSent],
      [linkLabels(proxy, 'downstream'), t.downstreamSent],
    ]),
  );
  writer.family(
    'faultline_proxy_open_connections',
    'gauge',
    'Client connections currently proxied.',
    proxies.map((proxy) => [{ proxy: proxy.name }, proxy.openConnections]),
  );
  writer.family(
    'faultline_proxy_connections_total',
    'counter',
    'Client connections accepted since the proxy was created.',
    proxies.map((proxy) => [{ proxy: proxy.name }, proxy.acceptedConnections]),
  );
  writer.family(
    'faultline_proxy_enabled',
    'gauge',
    '1 while the proxy listens, 0 while it is disabled (its dependency looks down).',
    proxies.map((proxy) => [{ proxy: proxy.name }, proxy.enabled ? 1 : 0]),
  );
  writer.family(
    'faultline_proxy_active_toxics',
    'gauge',
    'Toxics configured on the proxy, per direction.',
    proxies.flatMap((proxy) => directions.map((direction): [Record<string, string>, number] => [{ proxy: proxy.name, direction }, proxy.toxics.chain(direction).length])),
  );
  writer.family(
    'faultline_proxy_toxic',
    'gauge',
    'One series per configured toxic (value 1), labelled with what it is.',
    proxies.flatMap((proxy) =>
      proxy.toxics.list().map((toxic): [Record<string, string>, number] => [
        { proxy: proxy.name, toxic: toxic.name, type: toxic.type.name, direction: toxic.direction, toxicity: String(float32ToJsonNumber(toxic.toxicity)) },
        1,
      ]),
    ),
  );
  if (runtime) {
    writer.family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [[{}, runtime.residentMemoryBytes]]);
    writer.family('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [[{}, runtime.heapUsedBytes]]);
  }
  return writer.toString();
}
