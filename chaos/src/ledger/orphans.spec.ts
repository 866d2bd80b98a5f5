import { describe, expect, it } from '@jest/globals';
import type { FaultRecord } from './fault-record.js';
import { orphanReason } from './orphans.js';

const base: FaultRecord = {
  id: 'f1',
  spec: { kind: 'pause', component: 'dc-a.redis' },
  label: 'pause dc-a.redis',
  target: 'dc-a.redis',
  createdAt: '2026-11-27T10:00:00.000Z',
};
const now = Date.parse('2026-11-27T10:01:00.000Z');
const owner = { pid: 4242, startTime: 99, what: 'faultline chaos run kill-primary' };

describe('orphanReason', () => {
  it('leaves a fault made to stay until healed alone', () => {
    expect(orphanReason(base, now, () => false)).toBeUndefined();
  });

  it('leaves a fault to its owner while the owner runs', () => {
    expect(orphanReason({ ...base, owner }, now, () => true)).toBeUndefined();
  });

  it('takes over a fault whose owner is gone', () => {
    expect(orphanReason({ ...base, owner }, now, (o) => o.pid !== 4242)).toBe('orphaned');
  });

  it('takes over a fault whose time is up, even while its owner runs', () => {
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:00:30.000Z' }, now, () => true)).toBe('expired');
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:05:00.000Z' }, now, () => true)).toBeUndefined();
  });
});
