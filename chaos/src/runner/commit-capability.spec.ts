import { describe, expect, it } from '@jest/globals';
import { canAcknowledgeWrites } from './commit-capability.js';

const primary = { in_recovery: false, sync_names: "ANY 1 (pgautofailover_standby_2)", sync_commit: 'on', sync_standbys: 1, stuck_commits: 0 };

describe('canAcknowledgeWrites', () => {
  it('a primary with its synchronous standby connected can', () => {
    expect(canAcknowledgeWrites(primary)).toBe(true);
  });

  it('a primary cut off from its synchronous standby cannot: its commits wait forever', () => {
    expect(canAcknowledgeWrites({ ...primary, sync_standbys: 0 })).toBe(false);
  });

  it('a primary whose commits have been waiting on a standby that still looks connected cannot (a blackholed link)', () => {
    expect(canAcknowledgeWrites({ ...primary, stuck_commits: 3 })).toBe(false);
  });

  it('a primary that waits for no standby can, alone', () => {
    expect(canAcknowledgeWrites({ ...primary, sync_names: '', sync_standbys: 0 })).toBe(true);
    expect(canAcknowledgeWrites({ ...primary, sync_commit: 'local', sync_standbys: 0 })).toBe(true);
  });

  it('a standby never can', () => {
    expect(canAcknowledgeWrites({ ...primary, in_recovery: true })).toBe(false);
  });
});
