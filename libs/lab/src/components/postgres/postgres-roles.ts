import type { Component, PostgresRole, Topology } from '#libs/topology';
import { pgQuery } from '../../readiness/pg-query.js';
import { MONITOR_DATABASE, monitorOf, PG_SUPERUSER } from './postgres-instance.js';

/** What role-reading needs: only the topology (so `status` can use it without a full lab context). */
export type RolesContext = { readonly topology: Topology };

/** pg_auto_failover states in which a node is its group's writable node. */
const primaryStates: ReadonlySet<string> = new Set(['single', 'wait_primary', 'primary', 'join_primary', 'apply_settings']);
/** A writable primary at rest: alone (single), without a standby in sync (wait_primary), or with one. */
const restingPrimaryStates: ReadonlySet<string> = new Set(['single', 'wait_primary', 'primary']);

/**
 * A node is settled when what it reports and what it is assigned are both resting states of the same
 * side: single / wait_primary / primary (moving between them is normal life: a primary whose standby is
 * down sits in wait_primary with goal primary until the standby is back), or secondary and secondary.
 */
export const isSettled = (reportedState: string, goalState: string): boolean =>
  (restingPrimaryStates.has(reportedState) && restingPrimaryStates.has(goalState)) || (reportedState === 'secondary' && goalState === 'secondary');

/** One Postgres node as the failover monitor sees it now. */
export interface PostgresNodeState {
  /** The lab component registered at this address; null for a node the topology does not know. */
  readonly componentId: string | null;
  readonly formation: string;
  readonly shard: number | null;
  /** The monitor's node id and name (the name is the component id). */
  readonly nodeId: number;
  readonly name: string;
  /** The address the node registered with: its peer-ingress proxy, `127.0.0.1:<port>`. */
  readonly address: string;
  /** What the node's keeper last reported, and what the monitor assigned it. */
  readonly reportedState: string;
  readonly goalState: string;
  /** primary or secondary once reported so; null in transitional states (catchingup, draining, …). */
  readonly role: PostgresRole | null;
  /** The node `pgautofailover.get_primary()` names: where writes go now. */
  readonly isPrimary: boolean;
  /** See `isSettled`. A shard can fail over only once its primary reports `primary` (not wait_primary). */
  readonly settled: boolean;
  /** The monitor's health check of the node. */
  readonly health: 'good' | 'bad' | 'unknown';
  readonly pgIsRunning: boolean;
  readonly timeline: number;
  readonly lsn: string;
  readonly reportedAt: string;
  /** `primary`, or `catchingup → secondary` while a transition is under way. */
  readonly summary: string;
}

interface NodeRow extends Record<string, unknown> {
  nodeid: number;
  nodename: string;
  nodehost: string;
  nodeport: number;
  formationid: string;
  reportedstate: string;
  goalstate: string;
  health: number;
  reportedpgisrunning: boolean;
  reportedtli: number;
  reportedlsn: string;
  reporttime: Date;
}

const monitorConnection = (topology: Topology) => {
  const monitor = monitorOf(topology);
  return { host: monitor.host, port: monitor.port, user: PG_SUPERUSER, database: MONITOR_DATABASE };
};

/** Maps the address a node registered with (its sql-peer ingress on 127.0.0.1) back to its component. */
export function componentAtRegisteredAddress(topology: Topology, host: string, port: number): Component | undefined {
  const ingress = topology.links.find((l) => l.kind === 'sql-peer' && l.listen.host === host && l.listen.port === port);
  const id = ingress?.to;
  return topology.components.find((c) => c.kind === 'postgres' && (id ? c.id === id : c.port === port));
}

export const describeState = (reported: string, goal: string): string => (reported === goal ? reported : `${reported} → ${goal}`);

const roleOf = (reportedState: string): PostgresRole | null =>
  primaryStates.has(reportedState) ? 'primary' : reportedState === 'secondary' ? 'secondary' : null;

/** The writable node of a formation, as `get_primary` says; undefined while there is none (mid-failover). */
async function primaryAddress(topology: Topology, formation: string, timeoutMs: number): Promise<{ host: string; port: number } | undefined> {
  try {
    const rows = await pgQuery<{ primary_host: string; primary_port: number }>(
      monitorConnection(topology),
      'select primary_host, primary_port from pgautofailover.get_primary($1, 0)',
      { params: [formation], timeoutMs },
    );
    const row = rows[0];
    return row?.primary_host ? { host: row.primary_host, port: Number(row.primary_port) } : undefined;
  } catch (error) {
    // "group has no writable node right now" while a failover is under way.
    if (/no writable node|has no primary/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * Every Postgres node of the lab's formations as the monitor reports it, with the component each is.
 * Rejects when the monitor cannot be asked.
 */
export async function queryPostgresNodes(
  ctx: RolesContext,
  options: { formations?: readonly string[]; withPrimary?: boolean; timeoutMs?: number } = {},
): Promise<PostgresNodeState[]> {
  const { topology } = ctx;
  const timeoutMs = options.timeoutMs ?? 2000;
  const formations = options.formations ?? topology.shards.map((s) => s.formation);
  if (formations.length === 0) return [];
  const rows = await pgQuery<NodeRow>(
    monitorConnection(topology),
    `select nodeid::int as nodeid, nodename, nodehost, nodeport, formationid,
            reportedstate::text as reportedstate, goalstate::text as goalstate, health,
            reportedpgisrunning, reportedtli, reportedlsn::text as reportedlsn, reporttime
       from pgautofailover.node
      where formationid = any($1::text[])
      order by formationid, nodeid`,
    { params: [formations], timeoutMs },
  );
  const primaries = new Map<string, string>();
  if (options.withPrimary ?? true) {
    await Promise.all(
      formations.map(async (formation) => {
        const p = await primaryAddress(topology, formation, timeoutMs);
        if (p) primaries.set(formation, `${p.host}:${p.port}`);
      }),
    );
  }
  return rows.map((row): PostgresNodeState => {
    const component = componentAtRegisteredAddress(topology, row.nodehost, row.nodeport);
    const address = `${row.nodehost}:${row.nodeport}`;
    return {
      componentId: component?.id ?? null,
      formation: row.formationid,
      shard: topology.shards.find((s) => s.formation === row.formationid)?.id ?? null,
      nodeId: row.nodeid,
      name: row.nodename,
      address,
      reportedState: row.reportedstate,
      goalState: row.goalstate,
      role: roleOf(row.reportedstate),
      isPrimary: primaries.get(row.formationid) === address,
      settled: isSettled(row.reportedstate, row.goalstate),
      health: row.health === 1 ? 'good' : row.health === 0 ? 'bad' : 'unknown',
      pgIsRunning: row.reportedpgisrunning,
      timeline: row.reportedtli,
      lsn: row.reportedlsn,
      reportedAt: new Date(row.reporttime).toISOString(),
      summary: describeState(row.reportedstate, row.goalstate),
    };
  });
}

/** Each lab node's state by component id (nodes the monitor does not know yet are absent). */
export async function postgresRoles(ctx: RolesContext, options: { timeoutMs?: number } = {}): Promise<Map<string, PostgresNodeState>> {
  const nodes = await queryPostgresNodes(ctx, options);
  return new Map(nodes.filter((n) => n.componentId !== null).map((n) => [n.componentId!, n]));
}

/** One node's state, or undefined when it is not registered with the monitor. */
export async function postgresNodeState(ctx: RolesContext, componentId: string, options: { timeoutMs?: number } = {}): Promise<PostgresNodeState | undefined> {
  const component = ctx.topology.components.find((c) => c.id === componentId && c.kind === 'postgres');
  if (!component || component.shard === undefined) throw new Error(`"${componentId}" is not a Postgres node of topology "${ctx.topology.name}"`);
  const formation = ctx.topology.shards[component.shard]!.formation;
  const nodes = await queryPostgresNodes(ctx, { formations: [formation], withPrimary: false, ...options });
  return nodes.find((n) => n.componentId === componentId);
}

/** Goal states the monitor gives a node that is, or is on its way to being, the writable node. */
const becomingPrimaryGoals: ReadonlySet<string> = new Set([...primaryStates, 'prepare_promotion', 'stop_replication']);
/** Goal states of a node being demoted: it must start after the node that replaces it. */
const demotionGoals: ReadonlySet<string> = new Set(['draining', 'demote_timeout', 'demoted']);

/** Compares two `pg_lsn` texts (`16/B374D848`): negative when a is behind b. */
export function compareLsn(a: string, b: string): number {
  const parse = (lsn: string): bigint => {
    const [high, low] = lsn.split('/');
    return high && low ? (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`) : -1n;
  };
  const d = parse(a) - parse(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * The node of one formation that should start first when `get_primary` names none — the monitor was
 * stopped (or the lab killed) in the middle of a failover, or while the primary's state was changing.
 * In order: a node the monitor is making the writable one (its goal), a node that reports being primary
 * and is not being demoted, and then the most advanced node (timeline, then LSN): it is the one the
 * others can follow without losing what it has.
 */
export function likelyPrimary(nodes: readonly PostgresNodeState[]): PostgresNodeState | undefined {
  const rank = (n: PostgresNodeState): number =>
    becomingPrimaryGoals.has(n.goalState) ? 0 : primaryStates.has(n.reportedState) && !demotionGoals.has(n.goalState) ? 1 : 2;
  return [...nodes].sort((a, b) => rank(a) - rank(b) || b.timeline - a.timeline || compareLsn(b.lsn, a.lsn))[0];
}

/**
 * The order Postgres nodes must start in, once the monitor runs: per shard, the node the monitor names
 * primary first (after a failover that is no longer the initial primary), then the others. A demoted
 * ex-primary started first would wait forever for the primary to rejoin it (pg_rewind), so the runner
 * must not start nodes by `initialRole` alone. When `get_primary` names none (stopped mid-failover),
 * the monitor's node table decides (`likelyPrimary`); a shard the monitor knows nothing of (new data)
 * starts with its initial primary. `down` stops in the reverse order: standbys first, so that stopping
 * the primary last gives the monitor no standby to fail over to. Rejects when the monitor cannot be asked.
 */
export async function postgresStartOrder(
  ctx: RolesContext,
  options: { timeoutMs?: number } = {},
): Promise<{ primaries: Component[]; others: Component[] }> {
  const primaries: Component[] = [];
  const others: Component[] = [];
  const known = await queryPostgresNodes(ctx, options);
  for (const shard of ctx.topology.shards) {
    const nodes = shard.nodes.map((id) => ctx.topology.components.find((c) => c.id === id)!);
    const registered = known.filter((n) => n.formation === shard.formation && n.componentId !== null);
    const chosen = registered.find((n) => n.isPrimary) ?? likelyPrimary(registered);
    const primary = nodes.find((n) => n.id === chosen?.componentId) ?? nodes.find((n) => n.initialRole === 'primary') ?? nodes[0]!;
    primaries.push(primary);
    others.push(...nodes.filter((n) => n.id !== primary.id));
  }
  return { primaries, others };
}

/**
 * The component that is the shard's writable primary now, per the monitor's `get_primary`; undefined
 * while the shard has none (a failover under way). Rejects when the monitor cannot be asked.
 */
export async function currentPrimary(ctx: RolesContext, shardId: number, options: { timeoutMs?: number } = {}): Promise<Component | undefined> {
  const shard = ctx.topology.shards.find((s) => s.id === shardId);
  if (!shard) throw new Error(`topology "${ctx.topology.name}" has no shard ${shardId}`);
  const address = await primaryAddress(ctx.topology, shard.formation, options.timeoutMs ?? 2000);
  return address ? componentAtRegisteredAddress(ctx.topology, address.host, address.port) : undefined;
}
