import { didYouMean } from '#libs/documents';
import { selectLinks, type LinkSelector, type Topology } from '#libs/topology';
import type { ExperimentIssue } from './experiment.errors.js';
import type { Experiment, MethodStep, RollbackStep } from './experiment.schema.js';
import type { ExperimentFault } from './fault.schema.js';
import type { Probe } from './probe.schema.js';
import type { ComponentTargetSpec } from './targets.schema.js';

/**
 * What the schema cannot know: whether the components, shards, DCs and links an experiment names exist in the
 * topology it will run on. Run before anything is injected, so a typo fails the run at once, not halfway.
 */
export function checkExperimentTargets(experiment: Experiment, topology: Topology): ExperimentIssue[] {
  const issues: ExperimentIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const componentIds = topology.components.map((c) => c.id);
  const dcIds = topology.dataCenters.map((dc) => dc.id);
  const where = `in the topology "${topology.name}"`;

  const shard = (id: number, path: string) => {
    if (!topology.shards.some((s) => s.id === id)) add(path, `no shard ${id} ${where}: its shards are ${topology.shards.map((s) => s.id).join(', ')}`);
  };
  const component = (target: ComponentTargetSpec, path: string) => {
    if (typeof target !== 'string') {
      if ('primaryOf' in target) shard(target.primaryOf, `${path}.primaryOf`);
      else shard(target.replicaOf, `${path}.replicaOf`);
    } else if (!componentIds.includes(target)) {
      const match = didYouMean(target, componentIds);
      add(path, `no component "${target}" ${where}${match ? `: did you mean "${match}"?` : ''}`);
    }
  };
  const dataCenters = (between: readonly string[], path: string) => {
    between.forEach((dc, i) => {
      if (!dcIds.includes(dc)) add(`${path}.${i}`, `no data center "${dc}" ${where}: its data centers are ${dcIds.join(', ')}`);
    });
  };
  const links = (selector: LinkSelector, path: string) => {
    if (selector.between) dataCenters(selector.between, `${path}.between`);
    if (selectLinks(topology, selector).length === 0) add(path, `matches no link ${where} (\`faultline topology\` lists them)`);
  };
  const probe = (p: Probe, path: string) => {
    if (p.type === 'health' && p.component !== undefined) component(p.component, `${path}.component`);
    if (p.type === 'sql') shard(p.shard, `${path}.shard`);
  };
  const fault = (f: ExperimentFault, path: string) => {
    switch (f.type) {
      case 'partition':
        dataCenters(f.between, `${path}.between`);
        if (selectLinks(topology, { between: f.between, oneWay: f.oneWay }).length === 0) add(path, `cuts no link ${where}`);
        return;
      case 'kill':
      case 'pause':
      case 'restart':
        return component(f.component, `${path}.component`);
      case 'async-replication':
        return shard(f.shard, `${path}.shard`);
      default:
        return links(f.links, `${path}.links`);
    }
  };
  const step = (s: MethodStep | RollbackStep, path: string) => {
    if (s.type === 'fault') fault(s.fault, `${path}.fault`);
    if (s.type === 'wait' && s.until) probe(s.until, `${path}.until`);
    if (s.type === 'probe') probe(s.probe, `${path}.probe`);
    if (s.type === 'start') component(s.component, `${path}.component`);
  };

  experiment.steadyStateHypothesis?.probes.forEach((p, i) => probe(p, `steadyStateHypothesis.probes.${i}`));
  experiment.method.forEach((s, i) => step(s, `method.${i}`));
  experiment.rollbacks.forEach((s, i) => step(s, `rollbacks.${i}`));
  return issues;
}
