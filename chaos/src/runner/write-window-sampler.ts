import type { Topology } from '#libs/topology';
import { canAcknowledgeWrites, COMMIT_CAPABILITY_SQL, type CommitCapabilityRow } from './commit-capability.js';
import { queryNode } from './node-query.js';
import type { WritableSample } from './write-windows.js';

const SAMPLE_TIMEOUT_MS = 800;

/**
 * Asks every Postgres node of the lab, about once a second, whether it could acknowledge a write (out of
 * recovery and able to complete a synchronous commit: commit-capability.ts); the samples become
 * the write windows of the split-brain check (write-windows.ts). Straight to each node's own address.
 */
export class WriteWindowSampler {
  private readonly samples: WritableSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly topology: Topology,
    private readonly now: () => number,
    private readonly intervalMs = 1_000,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      // A slow round (a paused node) is not stacked: the next one waits for it.
      if (!this.inFlight) this.inFlight = this.sampleAll().finally(() => (this.inFlight = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  async stop(): Promise<readonly WritableSample[]> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    return [...this.samples];
  }

  private async sampleAll(): Promise<void> {
    const at = this.now();
    const nodes = this.topology.components.filter((c) => c.kind === 'postgres' && c.shard !== undefined);
    const results = await Promise.all(
      nodes.map(async (node) => {
        try {
          const rows = await queryNode<CommitCapabilityRow & Record<string, unknown>>(`${node.host}:${node.port}`, COMMIT_CAPABILITY_SQL, { timeoutMs: SAMPLE_TIMEOUT_MS });
          return { shard: node.shard!, node: node.id, at, writable: rows[0] !== undefined && canAcknowledgeWrites(rows[0]) };
        } catch {
          return { shard: node.shard!, node: node.id, at, writable: false };
        }
      }),
    );
    this.samples.push(...results);
  }
}
