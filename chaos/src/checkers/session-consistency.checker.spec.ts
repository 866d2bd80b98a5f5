import { describe, expect, it } from '@jest/globals';
import { buildHistory, type OperationSpec } from '../history/history.builder.js';
import { checkSessionConsistency } from './session-consistency.checker.js';
import { cleanHistory } from './testing/run.fixtures.js';

const rename = (process: number, start: number, version: number): OperationSpec => ({
  process,
  f: 'update',
  start,
  end: start + 10,
  value: { userId: 'alice', name: `alice-${version}` },
  result: { version },
});
const read = (process: number, start: number, version: number): OperationSpec => ({ process, f: 'read', start, end: start + 10, value: { userId: 'alice' }, result: { version } });

describe('checkSessionConsistency', () => {
  it('passes a run where every process reads at least what it wrote and read before', () => {
    const result = checkSessionConsistency({ history: cleanHistory() });
    expect(result).toMatchObject({ name: 'session-consistency', passed: true, violations: [] });
    expect(result.observed).toEqual({ readsChecked: 1, readYourWrites: 0, monotonicReads: 0 });
  });

  it('reports a read older than the process’s own acknowledged write, with both operations as witness, without failing by default', () => {
    const history = buildHistory([rename(0, 0, 3), read(0, 20, 2)]);
    const result = checkSessionConsistency({ history });
    expect(result.passed).toBe(true);
    expect(result.observed.readYourWrites).toBe(1);
    expect(result.violations).toEqual([{ description: 'process 0 read user alice at version 2 after its write acknowledged version 3', witness: history }]);
  });

  it('fails on the guarantees the experiment asks for', () => {
    const history = buildHistory([rename(0, 0, 3), read(0, 20, 2)]);
    expect(checkSessionConsistency({ history, failOn: ['read-your-writes'] }).passed).toBe(false);
    expect(checkSessionConsistency({ history, failOn: ['monotonic-reads'] }).passed).toBe(true);
  });

  it('reports a read going back in time for one process, with the two reads as witness', () => {
    const history = buildHistory([read(1, 0, 5), read(1, 20, 6), read(1, 40, 4)]);
    const result = checkSessionConsistency({ history, failOn: ['monotonic-reads'] });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatchObject({ monotonicReads: 1, readYourWrites: 0, readsChecked: 3 });
    expect(result.violations[0]!.witness).toEqual(history.slice(2));
  });

  it('allows another process to read an older version (no guarantee across sessions)', () => {
    const result = checkSessionConsistency({ history: buildHistory([rename(0, 0, 3), read(1, 20, 1), read(2, 30, 4), read(1, 50, 2)]) });
    expect(result.violations).toEqual([]);
  });

  it('counts a not-found after the process’s own registration as a read-your-writes violation', () => {
    const history = buildHistory([
      { process: 0, f: 'register', start: 0, end: 10, result: { userId: 'alice' } },
      { process: 0, f: 'read', start: 20, end: 30, type: 'fail', value: { userId: 'alice' }, error: { code: 'USER_NOT_FOUND' } },
    ]);
    expect(checkSessionConsistency({ history }).observed.readYourWrites).toBe(1);
  });

  it('ignores reads whose outcome is unknown', () => {
    const history = buildHistory([rename(0, 0, 3), { process: 0, f: 'read', start: 20, end: 30, type: 'info', value: { userId: 'alice' } }]);
    expect(checkSessionConsistency({ history }).observed).toEqual({ readsChecked: 0, readYourWrites: 0, monotonicReads: 0 });
  });
});
