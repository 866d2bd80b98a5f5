import { MONITOR_DATABASE, pgQuery } from '#libs/lab';
import type { Component, Topology } from '#libs/topology';
import { FaultTargetError } from './fault.errors.js';
import type { ShardFaultSpec } from './fault-spec.js';

type AsyncReplicationSpec = Extract<ShardFaultSpec, { kind: 'async-replication' }>;

/** The settings are the monitor's; a keeper applies them on its next loop (about once a second). */
const APPLY_TIMEOUT_MS = 20_000;
const POLL_MS = 200;

/**
 * `faultline fault async-replication <shard>` and the experiments' `{ type: async-replication, shard }`: the
 * spec names the shard's formation and nodes, so that whoever undoes it later needs nothing else.
 */
export function asyncReplicationFault(topology: Topology, shard: number | string): { spec: AsyncReplicationSpec; label: string; target: string } {
  const valid = topology.shards.map((s) => String(s.id));
  const found = topology.shards.find((s) => String(s.id) === String(shard));
  if (!found) {
    throw new FaultTargetError(
      valid.length === 0 ? `this lab has no Postgres shard (profile ${topology.name})` : `no shard "${shard}" in this lab; shards: ${valid.join(', ')}`,
      valid,
    );
  }
  return {
    spec: { kind: 'async-replication', shard: found.id, formation: found.formation, nodes: [...found.nodes] },
    label: `async replication on shard ${found.id} (${found.nodes.join(', ')} out of the replication quorum)`,
    target: `shard ${found.id}`,
  };
}

const connectionOf = (component: Component) => ({ host: component.host, port: component.port });

function monitorOf(topology: Topology): Component {
  const monitor = topology.components.find((c) => c.kind === 'postgres-monitor');
  if (!monitor) throw new FaultTargetError(`this lab has no failover monitor (profile ${topology.name}): replication cannot be changed`, []);
  return monitor;
}

const monitorQuery = <Row extends Record<string, unknown>>(topology: Topology, sql: string, params: unknown[]) =>
  pgQuery<Row>({ ...connectionOf(monitorOf(topology)), database: MONITOR_DATABASE }, sql, { params, timeoutMs: 5_000 });

/** What a node reports now, or undefined when it does not answer (down, paused, cut off). */
async function nodeSetting(node: Component): Promise<{ inRecovery: boolean; syncNames: string } | undefined> {
  try {
    const rows = await pgQuery<{ in_recovery: boolean; sync_names: string }>(
      connectionOf(node),
      `select pg_is_in_recovery() as in_recovery, current_setting('synchronous_standby_names') as sync_names`,
      { timeoutMs: 1_500 },
    );
    return rows[0] && { inRecovery: rows[0].in_recovery, syncNames: rows[0].sync_names };
  } catch {
    return undefined;
  }
}

/**
 * Whether the change took effect: every primary of the shard that answers has the monitor's
 * `synchronous_standby_names` for the group, and — going asynchronous — that is '' (commits wait for no
 * standby). A shard whose primary does not answer counts as done: its keeper applies the monitor's
 * settings when it comes back.
 */
async function applied(topology: Topology, spec: AsyncReplicationSpec, quorum: boolean): Promise<{ done: boolean; detail: string }> {
  const [wanted] = await monitorQuery<{ names: string }>(topology, 'select pgautofailover.synchronous_standby_names($1, 0) as names', [spec.formation]);
  const names = wanted?.names ?? '';
  if (!quorum && names !== '') return { done: false, detail: `the monitor still wants synchronous_standby_names = '${names}'` };
  const nodes = topology.components.filter((c) => spec.nodes.includes(c.id));
  const settings = await Promise.all(nodes.map(async (node) => ({ node: node.id, setting: await nodeSetting(node) })));
  const behind = settings.filter(({ setting }) => setting && !setting.inRecovery && setting.syncNames !== names);
  if (behind.length === 0) return { done: true, detail: `synchronous_standby_names = '${names}'` };
  return { done: false, detail: behind.map(({ node, setting }) => `${node} has synchronous_standby_names = '${setting!.syncNames}', the monitor wants '${names}'`).join('; ') };
}

/**
 * Puts every node of the shard in (`quorum` true) or out of (false) the replication quorum through the
 * failover monitor (`pgautofailover.set_node_replication_quorum`, what `pg_autoctl set node
 * replication-quorum` calls; it works for nodes that are down too), then waits until the shard's primary
 * runs with the monitor's `synchronous_standby_names`. Out of the quorum, the primary's commits wait for
 * no standby: a failover can lose writes that were acknowledged.
 */
export async function setReplicationQuorum(topology: Topology, spec: AsyncReplicationSpec, quorum: boolean, options: { timeoutMs?: number } = {}): Promise<void> {
  const registered = await monitorQuery<{ nodename: string; replicationquorum: boolean }>(
    topology,
    'select nodename, replicationquorum from pgautofailover.node where formationid = $1 order by nodeid',
    [spec.formation],
  );
  for (const node of registered.filter((n) => spec.nodes.includes(n.nodename) && n.replicationquorum !== quorum)) {
    await monitorQuery(topology, 'select pgautofailover.set_node_replication_quorum($1, $2, $3)', [spec.formation, node.nodename, quorum]);
  }
  const deadline = Date.now() + (options.timeoutMs ?? APPLY_TIMEOUT_MS);
  for (;;) {
    const state = await applied(topology, spec, quorum);
    if (state.done) return;
    if (Date.now() >= deadline) {
      throw new Error(`shard ${spec.shard}: replication did not become ${quorum ? 'synchronous' : 'asynchronous'} within ${(options.timeoutMs ?? APPLY_TIMEOUT_MS) / 1000}s: ${state.detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
