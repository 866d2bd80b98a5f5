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

  it('takes over a fault whose time is up at once when nobody owns it', () => {
    expect(orphanReason({ ...base, expiresAt: '2026-11-27T10:01:00.000Z' }, now, () => true)).toBe('expired');
    expect(orphanReason({ ...base, expiresAt: '2026-11-27T10:01:00.001Z' }, now, () => true)).toBeUndefined();
  });

  it('leaves an expired fault to its running owner for the grace period (it heals on time itself), then takes it over', () => {
    // now is 10:01:00; the grace is 10 s.
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:00:55.000Z' }, now, () => true)).toBeUndefined();
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:00:50.000Z' }, now, () => true)).toBe('expired');
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:05:00.000Z' }, now, () => true)).toBeUndefined();
  });

  it('calls a fault whose owner died orphaned, even when its time is up too', () => {
    expect(orphanReason({ ...base, owner, expiresAt: '2026-11-27T10:00:30.000Z' }, now, () => false)).toBe('orphaned');
  });
});
