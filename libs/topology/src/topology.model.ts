/** The lab as derived from a topology spec: every process, its ports, and every proxied link between them. */

export const componentKinds = [
  'fault-proxy',
  'postgres-monitor',
  'postgres',
  'redis',
  'nats',
  'load-balancer',
  'geo-front',
  'cdn-edge',
  'gateway',
  'user',
  'media',
  'worker',
  'prometheus',
  'dashboard',
] as const;
export type ComponentKind = (typeof componentKinds)[number];

export const appKinds = ['gateway', 'user', 'media', 'worker'] as const;
export type AppKind = (typeof appKinds)[number];
export const isAppKind = (kind: ComponentKind): kind is AppKind => (appKinds as readonly string[]).includes(kind);

export type PostgresRole = 'primary' | 'secondary';

export interface Component {
  /** Unique, stable, human-readable: `dc-a.gateway-1`, `shard0-1`, `monitor`, `geo`. */
  readonly id: string;
  readonly kind: ComponentKind;
  /** null for lab-wide components (fault proxy, geo front, Prometheus, dashboard). */
  readonly dc: string | null;
  readonly host: string;
  /** The port the component itself listens on (clients reach it through a link's proxy instead). */
  readonly port: number;
  /** Further ports of the component, by purpose (NATS cluster and monitoring, HAProxy stats, …). */
  readonly ports: Readonly<Record<string, number>>;
  /** For Postgres nodes. */
  readonly shard?: number;
  readonly initialRole?: PostgresRole;
  /** 1-based instance number for apps. */
  readonly instance?: number;
}

export const linkKinds = ['sql', 'sql-peer', 'failover-control', 'redis', 'nats-client', 'nats-route', 'http'] as const;
export type LinkKind = (typeof linkKinds)[number];

export interface Link {
  /** The fault proxy's name for this link: `<from>-><to>`. */
  readonly name: string;
  /** A component id, or for `sql-peer` links the shard's peer group (`shard0.peers`). */
  readonly from: string;
  readonly to: string;
  readonly fromDc: string | null;
  readonly toDc: string | null;
  readonly kind: LinkKind;
  /** Where the fault proxy listens for this link. */
  readonly listen: { readonly host: string; readonly port: number };
  /** Where the proxy forwards to: `to`'s own port (or one of its named ports). */
  readonly upstream: { readonly host: string; readonly port: number };
}

export interface DataCenter {
  readonly id: string;
  readonly region: string;
}

export interface Shard {
  readonly id: number;
  readonly formation: string;
  /** Component ids of its Postgres nodes, initial primary first. */
  readonly nodes: readonly string[];
}

export interface Topology {
  readonly name: string;
  readonly description: string;
  readonly portBase: number;
  readonly dataCenters: readonly DataCenter[];
  readonly shards: readonly Shard[];
  readonly components: readonly Component[];
  readonly links: readonly Link[];
  /** Component id of what clients talk to: the geo front, or the only DC's load balancer. */
  readonly entrypoint: string;
  readonly cdn: { readonly ttlSeconds: number; readonly staleSeconds: number };
  /** SLO evaluation: `timeScale` > 1 makes an SLO's windows pass that many times faster (a workshop's "30 days"). */
  readonly slo: { readonly timeScale: number };
}
