import type { NodeWriteWindow } from '../checkers/store-snapshot.js';

/** One look at one node: could it acknowledge writes (see commit-capability.ts) at `at` (ms since run start)? */
export interface WritableSample {
  readonly shard: number;
  readonly node: string;
  readonly at: number;
  readonly writable: boolean;
}

/**
 * Write windows from periodic samples of each node's commit capability: a window is a run of consecutive
 * samples in which the node was writable, from the first to the last of them. A node that was writable in a
 * single sample gets a window of length 0, which overlaps nothing: a blip shorter than the sampling interval
 * (a restarted ex-primary before it is demoted) is not reported, a sustained one is.
 *
 * This approximates "accepted writes": a node that can acknowledge commits may accept writes; whether it
 * committed any cannot be told apart afterwards, since the events are replicated to every node. A node that
 * could not be asked (killed, paused) counts as not writable.
 */
export function writeWindowsFromSamples(samples: readonly WritableSample[]): NodeWriteWindow[] {
  const byNode = new Map<string, WritableSample[]>();
  for (const s of samples) byNode.set(`${s.shard}/${s.node}`, [...(byNode.get(`${s.shard}/${s.node}`) ?? []), s]);
  const windows: NodeWriteWindow[] = [];
  for (const nodeSamples of byNode.values()) {
    let open: { from: number; until: number } | undefined;
    const sorted = [...nodeSamples].sort((a, b) => a.at - b.at);
    for (const s of sorted) {
      if (s.writable) {
        open = open ? { ...open, until: s.at } : { from: s.at, until: s.at };
        continue;
      }
      if (open) windows.push({ shard: s.shard, node: s.node, acceptedWritesFrom: open.from, acceptedWritesUntil: open.until });
      open = undefined;
    }
    const last = sorted[sorted.length - 1]!;
    if (open) windows.push({ shard: last.shard, node: last.node, acceptedWritesFrom: open.from, acceptedWritesUntil: open.until });
  }
  return windows.sort((a, b) => a.shard - b.shard || a.acceptedWritesFrom - b.acceptedWritesFrom);
}

export const WRITE_WINDOW_NOTE =
  'Split brain is judged from write windows sampled about once a second: each Postgres node is asked directly (not through the fault proxy) ' +
  'whether it could acknowledge a write — out of recovery, and either waiting for no synchronous standby or having one connected with no ' +
  'commit stuck waiting for it for over a second (an ex-primary cut off from its standby is out of recovery but acknowledges nothing). Two ' +
  'nodes of a shard able to acknowledge writes over two consecutive samples count as split brain; a shorter blip is not seen. Whether such a ' +
  'node actually committed a write cannot be told afterwards (events are replicated to every node), so this may still over-approximate ' +
  '"accepted writes", and may miss overlaps shorter than a second.';
