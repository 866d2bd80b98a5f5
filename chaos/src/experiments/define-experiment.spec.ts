import { describe, expect, it } from '@jest/globals';
import type { LinkSelector } from '#libs/topology';
import { defineExperiment } from './define-experiment.js';
import { experimentFromValue } from './load-experiment.js';

// Written in TypeScript exactly as in YAML: the compiler checks the shape, experimentFromValue the rest.
const partitionUnderLoad = defineExperiment({
  version: 1,
  title: 'Partition under load',
  lesson: 'One primary per shard, whatever the network does.',
  workload: { clients: 4, ratePerSecond: 20, mix: { update: 1, read: 3 }, seed: 7 },
  method: [
    { type: 'workload', action: 'start' },
    { type: 'fault', at: '5s', duration: '20s', fault: { type: 'latency', links: { between: ['dc-a', 'dc-b'], oneWay: true }, ms: 100 } },
    { type: 'wait', until: { type: 'health', component: { primaryOf: 1 } }, timeout: '30s', every: '500ms' },
  ],
  rollbacks: [{ type: 'heal' }, { type: 'start', component: { replicaOf: 0 } }],
  assertions: [{ check: 'noSplitBrain' }, { check: 'errorBudget', target: 0.99, maxSpent: 0.5 }],
  stopConditions: [{ sli: 'availability', below: 0.5, for: '10s' }],
});

describe('defineExperiment', () => {
  it('returns the document unchanged', () => {
    expect(partitionUnderLoad.method[1]).toMatchObject({ at: '5s' });
  });

  it('gives documents that validate into experiments, link selectors ready for selectLinks', () => {
    const experiment = experimentFromValue(partitionUnderLoad, 'partition-under-load.ts');
    const step = experiment.method[1]!;
    if (step.type !== 'fault' || step.fault.type !== 'latency') throw new Error('expected the latency fault');
    const selector: LinkSelector = step.fault.links;
    expect(selector).toEqual({ between: ['dc-a', 'dc-b'], oneWay: true });
    expect(step).toMatchObject({ at: 5_000, duration: 20_000 });
    expect(experiment.workload.mix).toEqual({ register: 0, login: 0, update: 1, read: 3, upload: 0, fetch: 0 });
    expect(experiment.stopConditions).toEqual([{ sli: 'availability', below: 0.5, for: 10_000 }]);
  });
});
