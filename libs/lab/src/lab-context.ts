import type { Component, Link, Topology } from '#libs/topology';
import type { LabPaths } from './lab-paths.js';
import type { RunCommand } from './process/run-command.js';

/** Everything a component runner may use: the topology, the lab's folders, and how to run commands. */
export interface LabContext {
  readonly topology: Topology;
  readonly paths: LabPaths;
  /** True when the lab runs as root, so Postgres processes must switch to the `postgres` user. */
  readonly isRoot: boolean;
  /** Absolute path of the faultline CLI entry (`bin/faultline.js`), for processes that are faultline itself. */
  readonly faultlineBin: string;
  /** URL of the fault proxy's API (faultline's own, or a real Toxiproxy given by FAULTLINE_TOXIPROXY_URL). */
  readonly faultProxyUrl: string;
  /** Runs a one-shot command to completion, its output appended to a component's log. */
  readonly run: RunCommand;
  component(id: string): Component;
  /** The proxied link from one component (or peer group) to another; throws if there is none. */
  link(from: string, to: string): Link;
}

export function createLabContext(init: Omit<LabContext, 'component' | 'link'>): LabContext {
  const components = new Map(init.topology.components.map((c) => [c.id, c]));
  const links = new Map(init.topology.links.map((l) => [`${l.from}\u0000${l.to}`, l]));
  return {
    ...init,
    component(id) {
      const c = components.get(id);
      if (!c) throw new Error(`no component "${id}" in topology "${init.topology.name}"`);
      return c;
    },
    link(from, to) {
      const l = links.get(`${from}\u0000${to}`);
      if (!l) throw new Error(`no link ${from}->${to} in topology "${init.topology.name}"`);
      return l;
    },
  };
}
