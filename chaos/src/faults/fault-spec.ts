/**
 * What a fault does, as data: written to the ledger before it is applied, so that whoever finds it there
 * (the next command, after its injector was SIGKILLed) can undo it. Link faults name the links (the
 * fault proxy's proxy names) resolved from a selector when the fault was made; process faults name one
 * component of the lab.
 */
export type LinkFaultSpec =
  /** Added delay on the link's answers (downstream), ± jitter. */
  | { readonly kind: 'latency'; readonly links: readonly string[]; readonly ms: number; readonly jitterMs: number }
  /** Both directions limited to this many KB/s. */
  | { readonly kind: 'bandwidth'; readonly links: readonly string[]; readonly rateKBps: number }
  /** A blackhole: data in both directions is dropped, connections stay open and hang (a real partition). */
  | { readonly kind: 'timeout'; readonly links: readonly string[] }
  /** Connections are reset (TCP RST) as soon as data flows back. */
  | { readonly kind: 'reset'; readonly links: readonly string[] }
  /** Answers cut into small packets with a delay between them. */
  | { readonly kind: 'slicer'; readonly links: readonly string[]; readonly averageSize: number; readonly sizeVariation: number; readonly delayUs: number }
  /** The link's proxy disabled: open connections close, new ones are refused (a process or port gone). */
  | { readonly kind: 'link-down'; readonly links: readonly string[] };

export type ProcessFaultSpec =
  /** SIGKILL; undone by starting the component again. */
  | { readonly kind: 'kill'; readonly component: string }
  /** SIGSTOP, the gray failure; undone by SIGCONT. */
  | { readonly kind: 'pause'; readonly component: string }
  /**
   * A clean stop (the component's stop signal) and a start, done when it is healthy again; undoing it starts
   * the component if it is still down (the restart was cut short), else does nothing.
   */
  | { readonly kind: 'restart'; readonly component: string };

/**
 * Faults of a shard's replication, through its failover monitor. `async-replication`: no node of the shard
 * takes part in the replication quorum (pg_auto_failover's `replication-quorum false`), so the primary
 * acknowledges commits without waiting for a standby; undone by putting every node back in the quorum.
 */
export type ShardFaultSpec = { readonly kind: 'async-replication'; readonly shard: number; readonly formation: string; readonly nodes: readonly string[] };

export type FaultSpec = LinkFaultSpec | ProcessFaultSpec | ShardFaultSpec;
export type FaultKind = FaultSpec['kind'];

export const linkFaultKinds = ['latency', 'bandwidth', 'timeout', 'reset', 'slicer', 'link-down'] as const satisfies readonly LinkFaultSpec['kind'][];
export const processFaultKinds = ['kill', 'pause', 'restart'] as const satisfies readonly ProcessFaultSpec['kind'][];
export const shardFaultKinds = ['async-replication'] as const satisfies readonly ShardFaultSpec['kind'][];

export const isLinkFault = (spec: FaultSpec): spec is LinkFaultSpec => (linkFaultKinds as readonly string[]).includes(spec.kind);
