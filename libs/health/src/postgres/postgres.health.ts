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
 * be served); every node's answer and role is reported. Each node keeps one probe connection open:
 * opening one per check cost a Postgres backend fork each time, and with every app checked every
 * second that churn alone kept a 2-core machine busy. A probe connection that fails is dropped and the
 * node asked again on a fresh one, so a connection made stale by a restart or failover never makes a
 * reachable node look down, and a node behind a partition still times out.
 */
export function postgresHealthChecks(shards: readonly ShardConfig[]): HealthCheck[] {
  return shards.map((shard) => {
    const probes = shard.nodes.map((node) => new NodeProber(node));
    return {
      name: `postgres:shard${shard.id}`,
      async run(context: HealthCheckContext) {
        const budgetMs = Math.max(1, Math.floor(context.timeoutMs * NODE_BUDGET_SHARE));
        const answers = await Promise.all(probes.map((prober) => prober.probe(budgetMs, context.signal)));
        const nodes = Object.fromEntries(shard.nodes.map((node, index) => [node.name, answers[index]!]));
        if (!answers.some((probe) => probe.ok)) {
          const reasons = [...new Set(answers.map((probe) => (probe.ok ? '' : probe.error)))].join('; ');
          throw new DependencyUnavailableError(`no node of shard ${shard.id} answered (${reasons})`, { nodes });
        }
        return { nodes };
      },
      async close() {
        await Promise.all(probes.map((prober) => prober.close()));
      },
    };
  });
}

const ROLE_QUERY = 'SELECT pg_is_in_recovery() AS in_recovery';

/** A node's probe connection: kept between checks, replaced when it fails. */
export class NodeProber {
  private client: pg.Client | undefined;

  constructor(private readonly node: ShardNodeConfig) {}

  async probe(timeoutMs: number, signal: AbortSignal): Promise<NodeProbe> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const latencyMs = () => Math.round(elapsed() * 100) / 100;
    const kept = this.client;
    if (kept) {
      try {
        return { ok: true, latencyMs: latencyMs(), role: await this.askRole(kept, timeoutMs, signal) };
      } catch (error) {
        this.drop(kept);
        // Out of time (a hung node): that is the answer. Otherwise the connection may just be stale.
        if (elapsed() >= timeoutMs || signal.aborted) return { ok: false, latencyMs: latencyMs(), error: describeError(error).message };
      }
    }
    const remainingMs = Math.max(1, Math.floor(timeoutMs - elapsed()));
    const client = new pg.Client({ connectionString: this.node.url, connectionTimeoutMillis: remainingMs, application_name: 'faultline-health' });
    // A socket error after the probe settled must not become an unhandled 'error' event; the client is replaced.
    client.on('error', () => this.drop(client));
    const abort = () => this.drop(client);
    signal.addEventListener('abort', abort, { once: true });
    try {
      await client.connect();
      const role = await this.askRole(client, Math.max(1, Math.floor(timeoutMs - elapsed())), signal);
      if (signal.aborted) throw signal.reason;
      this.client = client;
      return { ok: true, latencyMs: latencyMs(), role };
    } catch (error) {
      this.drop(client);
      return { ok: false, latencyMs: latencyMs(), error: describeError(error).message };
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async askRole(client: pg.Client, timeoutMs: number, signal: AbortSignal): Promise<'primary' | 'standby'> {
    if (signal.aborted) throw signal.reason;
    const result = await client.query<{ in_recovery: boolean }>({ text: ROLE_QUERY, query_timeout: timeoutMs } as pg.QueryConfig);
    return result.rows[0]?.in_recovery ? 'standby' : 'primary';
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    // Not awaited: end() waits for the server's goodbye, which a partitioned node never sends;
    // pg destroys the socket itself when the connection is dead.
    void client.end().catch(() => undefined);
  }
}
