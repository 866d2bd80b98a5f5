import { describe, expect, it } from '@jest/globals';
import { experimentFromValue, loadBuiltInExperiment } from '../experiments/index.js';
import { unsupportedParts } from './unsupported-parts.js';

describe('unsupportedParts', () => {
  it('accepts kill-primary as it is', () => {
    expect(unsupportedParts(loadBuiltInExperiment('kill-primary'))).toEqual([]);
  });

  it('lists async replication, restart, noLostJobs and unsupported SLIs used as conditions, by path', () => {
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
    const parts = unsupportedParts(experiment);
    expect(parts).toHaveLength(4);
    expect(parts[0]).toMatch(/^method\.1: fault type async-replication is not supported yet/);
    expect(parts[1]).toMatch(/^method\.2: fault type restart/);
    expect(parts[2]).toMatch(/^method\.4\.until: staleReadRate is not supported yet/);
    expect(parts[3]).toMatch(/^assertions\.0: check noLostJobs/);
  });
});
