import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { httpGet } from '../../readiness/http-get.js';
import { STATS_URI, statsPort } from './haproxy.config.js';

export type ServerState = 'UP' | 'DOWN' | 'MAINT' | 'DRAIN' | 'NOLB' | 'UNKNOWN';

export interface BackendServerState {
  readonly backend: string;
  readonly server: string;
  /** UP while the server takes traffic (including "UP 1/2", a server one failed check from DOWN). */
  readonly state: ServerState;
  readonly up: boolean;
  readonly backup: boolean;
  /** HAProxy's own words, e.g. "UP", "DOWN 1/2", "no check". */
  readonly status: string;
  /** Last health check result, e.g. "L7OK", "L4CON", "L7STS" (empty for tracking servers). */
  readonly check: string;
}

/** Parses HAProxy's `;csv` stats into one entry per server (frontends and backend totals left out). */
export function parseStatsCsv(csv: string): BackendServerState[] {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (!header?.startsWith('# ')) throw new Error('not HAProxy CSV stats');
  const columns = header.slice(2).split(',');
  const col = (name: string): number => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`HAProxy CSV stats have no "${name}" column`);
    return i;
  };
  const [px, sv, status, check, bck] = [col('pxname'), col('svname'), col('status'), col('check_status'), col('bck')];
  return lines
    .map((line) => line.split(','))
    .filter((f) => f[sv] !== 'FRONTEND' && f[sv] !== 'BACKEND' && f[px] !== 'stats')
    .map((f) => {
      const raw = f[status] ?? '';
      const word = raw.split(' ')[0] ?? '';
      const state: ServerState = (['UP', 'DOWN', 'MAINT', 'DRAIN', 'NOLB'] as const).find((s) => s === word) ?? 'UNKNOWN';
      return {
        backend: f[px]!,
        server: f[sv]!,
        state,
        up: state === 'UP',
        backup: f[bck] === '1',
        status: raw,
        check: f[check] ?? '',
      };
    });
}

export async function statsCsv(component: Component, timeoutMs = 1000): Promise<string> {
  const answer = await httpGet(`http://${component.host}:${statsPort(component)}${STATS_URI};csv;norefresh`, { timeoutMs });
  if (answer.status !== 200) throw new Error(`HAProxy stats answered ${answer.status}`);
  return answer.body;
}

/**
 * Each server of an HAProxy component (a DC load balancer or the geo front) as its health checks see it.
 * Rejects when the stats endpoint does not answer.
 */
export async function backendStates(component: Component, _ctx?: LabContext, options: { timeoutMs?: number } = {}): Promise<BackendServerState[]> {
  return parseStatsCsv(await statsCsv(component, options.timeoutMs));
}
