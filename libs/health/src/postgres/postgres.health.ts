import { performance } from 'node:perf_hooks';
import type { ShardConfig, ShardNodeConfig } from '#libs/config';
import pg from 'pg';
import { describeError } from '../describe-error.js';
import type { HealthCheck, HealthCheckContext } from '../health-check.js';
import { DependencyUnavailableError } from '../health.errors.js';

/** A node's answer: its role as it reports it, or why it did not answer. */
export type NodeProbe =
  | { readonly ok: true; readonly latencyMs: number; readonly role: 'primary' | 'standby' }
  | { readonly ok: false; readonly latencyMs: number; readonly error: string };

/**
 * Node probes get most of the check's budget, so a silent node is reported as such by the shard
 * check instead of the whole check timing out and hiding the nodes that did answer.
 */
const NODE_BUDGET_SHARE = 0.8;

/**
 * One check per shard, `postgres:shard<id>`: ok when at least one node answers a query (reads can
 * be served); every node's answer and role is reported. Each probe opens its own connection and
 * closes it: a pooled connection could be stale after a failover or hang behind a partition,
 * and the probe must say whether the node can be reached now.
 */
export function postgresHealthChecks(shards: readonly ShardConfig[]): HealthCheck[] {
  return shards.map((shard) => ({
    name: `postgres:shard${shard.id}`,
    async run(context: HealthCheckContext) {
      const budgetMs = Math.max(1, Math.floor(context.timeoutMs * NODE_BUDGET_SHARE));
      const probes = await Promise.all(shard.nodes.map((node) => probeNode(node, budgetMs, context.signal)));
      const nodes = Object.fromEntries(shard.nodes.map((node, index) => [node.name, probes[index]!]));
      if (!probes.some((probe) => probe.ok)) {
        const reasons = [...new Set(probes.map((probe) => (probe.ok ? '' : probe.error)))].join('; ');
        throw new DependencyUnavailableError(`no node of shard ${shard.id} answered (${reasons})`, { nodes });
      }
      return { nodes };
    },
  }));
}

export async function probeNode(node: ShardNodeConfig, timeoutMs: number, signal: AbortSignal): Promise<NodeProbe> {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 100) / 100;
  const client = new pg.Client({
    connectionString: node.url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    application_name: 'faultline-health',
  });
  // A socket error after the probe settled must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  const abort = () => void client.end().catch(() => undefined);
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    const result = await client.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
    return { ok: true, latencyMs: latencyMs(), role: result.rows[0]?.in_recovery ? 'standby' : 'primary' };
  } catch (error) {
    return { ok: false, latencyMs: latencyMs(), error: describeError(error).message };
  } finally {
    signal.removeEventListener('abort', abort);
    // Not awaited: end() waits for the server's goodbye, which a partitioned node never sends;
    // pg destroys the socket itself when the connection is dead or a query hangs.
    void client.end().catch(() => undefined);
  }
}
