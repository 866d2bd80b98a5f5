import type { Component, ComponentKind } from '#libs/topology';
import type { LabContext } from '../lab-context.js';

/** How to start a component's long-running process. The runner spawns it in its own process group. */
export interface ProcessLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Run as this OS user when the lab runs as root (Postgres refuses to run as root). */
  readonly user?: string;
  /** Signal for a clean stop; SIGKILL follows after the stop timeout. */
  readonly stopSignal?: NodeJS.Signals;
}

export interface ComponentHealth {
  readonly healthy: boolean;
  /** Why not, or a short fact worth showing (e.g. replication state). */
  readonly detail?: string;
  /** For Postgres nodes: the role the failover monitor reports now (`primary`, `secondary`, …). */
  readonly role?: string;
}

/**
 * What the lab needs to know to run one kind of component. One file per kind implements it; the lab
 * runner owns ordering, spawning, the state file and stopping.
 */
export interface ComponentRunner {
  readonly kind: ComponentKind;
  /**
   * Writes config files and initializes data. Must be idempotent: with existing data it keeps it and
   * only refreshes config, which is what makes a second `up` fast.
   */
  prepare(component: Component, ctx: LabContext): Promise<void>;
  launch(component: Component, ctx: LabContext): ProcessLaunch;
  /** A real check (a query, PING, an HTTP request) — never a sleep. */
  check(component: Component, ctx: LabContext): Promise<ComponentHealth>;
}
