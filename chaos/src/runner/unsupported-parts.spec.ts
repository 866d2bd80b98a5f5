import { describe, expect, it } from '@jest/globals';
import { experimentFromValue, loadBuiltInExperiment } from '../experiments/index.js';
import { unsupportedParts } from './unsupported-parts.js';

describe('unsupportedParts', () => {
  it('accepts kill-primary as it is', () => {
    expect(unsupportedParts(loadBuiltInExperiment('kill-primary'))).toEqual([]);
  });

  it('accepts async replication, restart, noLostJobs and the stale-read SLIs, as conditions too', () => {
    const experiment = experimentFromValue(
      {
        version: 1,
        title: 't',
        lesson: 'l',
        method: [
          { type: 'workload', action: 'start' },
          { type: 'fault', fault: { type: 'async-replication', shard: 0 } },
          { type: 'fault', fault: { type: 'restart', component: 'dc-a.gateway-1' } },
          { type: 'probe', probe: { type: 'sli', sli: 'edgeStaleRate' } },
          { type: 'wait', until: { type: 'sli', sli: 'staleReadRate', tolerance: { max: 0.1 } }, timeout: '10s' },
        ],
        assertions: [{ check: 'noLostJobs' }],
      },
      'test',
    );
    expect(unsupportedParts(experiment)).toEqual([]);
  });
});
