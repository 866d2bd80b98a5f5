import type { LabStatus } from '#libs/lab';
import type { Topology } from '#libs/topology';
import type { HealthProbe, HttpProbe, Probe, SliProbe, SqlProbe } from '../experiments/index.js';
import type { HistoryEntry } from '../history/operation.js';
import { measureSli } from '../workload/sli.js';
import { describeTarget, resolveComponentTarget } from './component-target.js';
import { queryNode } from './node-query.js';
import type { ProbeResult } from './probe-result.js';
import { describeTolerance, withinTolerance } from './tolerance.js';

/** What probes read: the lab's status, the entrypoint, the workload's history so far and the run's clock. */
export interface ProbeContext {
  readonly topology: Topology;
  readonly entrypoint: string;
  status(): Promise<LabStatus>;
  history(): readonly HistoryEntry[];
  /** ms since run start, on the history's clock. */
  now(): number;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs one probe; never rejects (a probe that cannot measure fails with the reason, or records it when it judges nothing). */
export async function runProbe(probe: Probe, ctx: ProbeContext): Promise<ProbeResult> {
  const at = ctx.now();
  try {
    switch (probe.type) {
      case 'health':
        return { ...(await healthProbe(probe, ctx)), at };
      case 'http':
        return { ...(await httpProbe(probe, ctx)), at };
      case 'sli':
        return { ...sliProbe(probe, ctx), at };
      case 'sql':
        return { ...(await sqlProbe(probe, ctx)), at };
    }
  } catch (error) {
    const judges = probe.type !== 'sli' || probe.tolerance !== undefined;
    return { name: probe.name ?? probe.type, type: probe.type, passed: judges ? false : null, observed: null, expected: 'a measurement', detail: errorText(error), at };
  }
}

type Measured = Omit<ProbeResult, 'at'>;

async function healthProbe(probe: HealthProbe, ctx: ProbeContext): Promise<Measured> {
  const status = await ctx.status();
  const want = probe.expect;
  const roleText = probe.role ? ` as ${probe.role}` : '';
  if (probe.component === undefined) {
    const unhealthy = status.components.filter((c) => !c.healthy).map((c) => `${c.id} (${c.detail ?? 'unhealthy'})`);
    const healthy = status.running && unhealthy.length === 0;
    return {
      name: probe.name ?? 'every component healthy',
      type: 'health',
      passed: want === 'healthy' ? healthy : !healthy,
      observed: healthy ? 'all healthy' : `unhealthy: ${unhealthy.join(', ') || 'the lab is not running'}`,
      expected: want === 'healthy' ? 'every component healthy' : 'some component unhealthy',
    };
  }
  const named = describeTarget(probe.component);
  const id = resolveComponentTarget(probe.component, ctx.topology, status.components);
  const component = id === undefined ? undefined : status.components.find((c) => c.id === id);
  const role = probe.role === 'replica' ? 'secondary' : probe.role;
  const healthy = component !== undefined && component.healthy && (role === undefined || component.role === role);
  const observed = component === undefined ? `no node holds the role ${named}` : `${component.id}: ${component.healthy ? 'healthy' : 'unhealthy'}${component.role ? `, ${component.role}` : ''}${component.detail ? ` (${component.detail})` : ''}`;
  return { name: probe.name ?? `${named} ${want}${roleText}`, type: 'health', passed: want === 'healthy' ? healthy : !healthy, observed, expected: `${named} ${want}${roleText}` };
}

async function httpProbe(probe: HttpProbe, ctx: ProbeContext): Promise<Measured> {
  const url = probe.url ?? `${ctx.entrypoint}${probe.path}`;
  const started = performance.now();
  const headers: Record<string, string> = { ...probe.headers };
  let body: string | undefined;
  if (probe.body !== undefined) {
    body = typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body);
    if (typeof probe.body !== 'string') headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: probe.method, headers, ...(body !== undefined && { body }), signal: AbortSignal.timeout(probe.timeout) });
  await response.arrayBuffer();
  const latencyMs = Math.round(performance.now() - started);
  const statusOk = probe.status.includes(response.status);
  const latencyOk = probe.latencyMs === undefined || withinTolerance(latencyMs, probe.latencyMs);
  return {
    name: probe.name ?? `${probe.method} ${probe.path ?? probe.url}`,
    type: 'http',
    passed: statusOk && latencyOk,
    observed: { status: response.status, latencyMs },
    expected: `status ${probe.status.join(' or ')}${probe.latencyMs ? `, latency ${describeTolerance(probe.latencyMs)} ms` : ''}`,
  };
}

function sliProbe(probe: SliProbe, ctx: ProbeContext): Measured {
  const measured = measureSli(ctx.history(), probe.sli, probe.window, ctx.now());
  const name = probe.name ?? `${probe.sli} over ${probe.window / 1000}s`;
  const expected = probe.tolerance ? `${probe.sli} ${describeTolerance(probe.tolerance)}` : 'recorded only';
  if (measured.value === null) {
    // Nothing to judge is not a pass: a condition stays unmet (a wait keeps waiting).
    return { name, type: 'sli', passed: probe.tolerance ? false : null, observed: null, expected, detail: measured.why };
  }
  const value = Math.round(measured.value * 10_000) / 10_000;
  return { name, type: 'sli', passed: probe.tolerance ? withinTolerance(measured.value, probe.tolerance) : null, observed: { value, operations: measured.operations }, expected };
}

async function sqlProbe(probe: SqlProbe, ctx: ProbeContext): Promise<Measured> {
  const status = await ctx.status();
  const target = probe.role === 'primary' ? { primaryOf: probe.shard } : { replicaOf: probe.shard };
  const id = resolveComponentTarget(target, ctx.topology, status.components);
  const name = probe.name ?? `sql on shard ${probe.shard} ${probe.role}`;
  const expectParts = [probe.expect?.rows && `rows ${describeTolerance(probe.expect.rows)}`, probe.expect?.value && (probe.expect.value.equals !== undefined ? `value = ${String(probe.expect.value.equals)}` : `value ${describeTolerance(probe.expect.value)}`)].filter(Boolean);
  const expected = expectParts.length ? expectParts.join(', ') : 'recorded only';
  const judges = expectParts.length > 0;
  if (id === undefined) return { name, type: 'sql', passed: judges ? false : null, observed: null, expected, detail: `no ${probe.role} of shard ${probe.shard} now` };
  const rows = await queryNode(status.components.find((c) => c.id === id)!.address, probe.query, { timeoutMs: probe.timeout });
  const first = rows[0] ? Object.values(rows[0])[0] : undefined;
  let passed = true;
  if (probe.expect?.rows && !withinTolerance(rows.length, probe.expect.rows)) passed = false;
  const expectValue = probe.expect?.value;
  if (expectValue) {
    if (expectValue.equals !== undefined) passed &&= String(first) === String(expectValue.equals);
    else passed &&= first !== undefined && first !== null && withinTolerance(Number(first), expectValue);
  }
  return { name, type: 'sql', passed: judges ? passed : null, observed: { node: id, rows: rows.length, value: first ?? null }, expected };
}
