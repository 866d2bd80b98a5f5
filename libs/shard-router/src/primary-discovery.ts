import type pg from 'pg';

/** What one discovery found out about a shard's nodes (by their topology names). */
export interface Discovery {
  readonly source: 'monitor' | 'probe';
  /** The node to write to, or undefined while there is none (a failover under way, or nothing reachable). */
  readonly primary: string | undefined;
  /** Nodes fit to serve replica reads (streaming standbys the monitor or a probe vouches for). */
  readonly replicas: readonly string[];
  /** Why there is no primary, for logs. */
  readonly detail?: string;
}

/** One node's answer to `select pg_is_in_recovery(), current_setting('transaction_read_only')`, or its failure. */
export type NodeProbe =
  | { readonly name: string; readonly ok: true; readonly inRecovery: boolean; readonly readOnly: boolean }
  | { readonly name: string; readonly ok: false; readonly error: unknown };

export const PROBE_SQL = "select pg_is_in_recovery() as in_recovery, current_setting('transaction_read_only') as read_only";

/**
 * The primary by probing every node (the monitor cannot be asked): the one node that is out of recovery
 * and read-write. A node out of recovery but still read-only is a promotion in progress (postgres-ha.md,
 * trap 7): it is taken as the primary when it is the only candidate (writes retry through the window).
 * Two read-write nodes are a split brain the router does not arbitrate: no primary until one is demoted
 * (pg_auto_failover's keeper demotes a primary cut off from the monitor and its standbys within seconds).
 */
export function discoveryFromProbes(probes: readonly NodeProbe[]): Discovery {
  const answered = probes.filter((p): p is Extract<NodeProbe, { ok: true }> => p.ok);
  const replicas = answered.filter((p) => p.inRecovery).map((p) => p.name);
  const writable = answered.filter((p) => !p.inRecovery && !p.readOnly).map((p) => p.name);
  const promoted = answered.filter((p) => !p.inRecovery && p.readOnly).map((p) => p.name);
  if (writable.length === 1) return { source: 'probe', primary: writable[0], replicas };
  if (writable.length > 1) return { source: 'probe', primary: undefined, replicas, detail: `several nodes accept writes (${writable.join(', ')}): waiting for one to be demoted` };
  if (promoted.length === 1) return { source: 'probe', primary: promoted[0], replicas, detail: `${promoted[0]} is promoted but still read-only` };
  if (promoted.length > 1) return { source: 'probe', primary: undefined, replicas, detail: `several nodes are out of recovery (${promoted.join(', ')})` };
  const failed = probes.filter((p) => !p.ok).map((p) => p.name);
  return {
    source: 'probe',
    primary: undefined,
    replicas,
    detail: answered.length === 0 ? 'no node answered' : `no node is out of recovery${failed.length > 0 ? ` (no answer from ${failed.join(', ')})` : ''}`,
  };
}

/** A row of the monitor's `pgautofailover.node` table. */
export interface MonitorNodeRow {
  readonly name: string;
  readonly reportedState: string;
  readonly goalState: string;
  /** The monitor's health check: 1 good, 0 bad, -1 unknown. */
  readonly health: number;
}

/**
 * The monitor's view: the primary `get_primary` names (undefined while the group has no writable node),
 * and as replicas the nodes that report `secondary` and that its health checks do not find down.
 */
export function discoveryFromMonitor(primary: string | undefined, rows: readonly MonitorNodeRow[]): Discovery {
  const replicas = rows.filter((r) => r.name !== primary && r.reportedState === 'secondary' && r.health !== 0).map((r) => r.name);
  return { source: 'monitor', primary, replicas, ...(primary === undefined ? { detail: 'the monitor says the group has no writable node right now' } : {}) };
}

/** The monitor does not know the formation (misconfiguration, or a monitor rebuilt from nothing). */
export class UnknownFormationError extends Error {
  constructor(readonly formation: string) {
    super(`the monitor has no node in formation "${formation}"`);
    this.name = 'UnknownFormationError';
  }
}

/**
 * Asks a pg_auto_failover monitor (as `autoctl_node`, who may read its tables and call `get_primary`).
 * Rejects when the monitor cannot be asked or does not know the formation.
 */
export async function askMonitor(pool: pg.Pool, formation: string): Promise<{ primary: string | undefined; rows: MonitorNodeRow[] }> {
  const nodes = await pool.query<{ name: string; reported_state: string; goal_state: string; health: number }>(
    `select nodename as name, reportedstate::text as reported_state, goalstate::text as goal_state, health
       from pgautofailover.node where formationid = $1 order by nodeid`,
    [formation],
  );
  if (nodes.rows.length === 0) throw new UnknownFormationError(formation);
  let primary: string | undefined;
  try {
    const answer = await pool.query<{ primary_name: string | null }>('select primary_name from pgautofailover.get_primary($1, 0)', [formation]);
    primary = answer.rows[0]?.primary_name ?? undefined;
  } catch (error) {
    // Raised while a failover is under way.
    if (!/no writable node/i.test((error as Error).message)) throw error;
  }
  const rows = nodes.rows.map((r) => ({ name: r.name, reportedState: r.reported_state, goalState: r.goal_state, health: Number(r.health) }));
  return { primary, rows };
}

/**
 * Replica candidates in the order reads try them: those in the caller's data center first, then the
 * others, each group in configuration order; nodes marked down are left out.
 */
export function orderReplicas<N extends { readonly name: string }>(
  nodes: readonly N[],
  replicas: ReadonlySet<string>,
  options: { dc?: string; dcOf: (name: string) => string | undefined; isDown: (name: string) => boolean },
): N[] {
  const candidates = nodes.filter((n) => replicas.has(n.name) && !options.isDown(n.name));
  if (options.dc === undefined) return candidates;
  const local = candidates.filter((n) => options.dcOf(n.name) === options.dc);
  return [...local, ...candidates.filter((n) => options.dcOf(n.name) !== options.dc)];
}
