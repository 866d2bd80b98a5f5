import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '#libs/topology';
import { builtInExperimentsDir, listBuiltInExperiments, loadBuiltInExperiment, resolveExperiment } from './catalogue.js';
import { isUnknownExperimentError, UnknownExperimentError } from './experiment.errors.js';
import type { Experiment } from './experiment.schema.js';
import { checkExperimentTargets } from './experiment-targets.js';

const BUILT_INS = [
  'asymmetric-partition',
  'cdn-origin-down',
  'cross-dc-latency',
  'kill-gateway',
  'kill-monitor',
  'kill-primary',
  'kill-primary-async',
  'kill-redis',
  'kill-worker-mid-job',
  'nats-node-down',
  'partition-dcs',
  'slow-replica',
];

/** The method's length when every `wait until` holds at once (nominal), and when each runs to its timeout (worst). */
function methodLengthMs(experiment: Experiment, untilTakes: 'nothing' | 'timeout'): number {
  let now = 0;
  let end = 0;
  for (const step of experiment.method) {
    if (step.type === 'fault') {
      now = Math.max(now, step.at ?? 0);
      end = Math.max(end, now + (step.duration ?? 0));
    }
    if (step.type === 'wait') now += step.for ?? (untilTakes === 'timeout' ? step.timeout! : 0);
  }
  return Math.max(now, end);
}

describe('the built-in catalogue', () => {
  const entries = listBuiltInExperiments();

  it('lists the twelve experiments of the issue, by name, each with a title and a one-line lesson', () => {
    expect(entries.map((e) => e.name)).toEqual(BUILT_INS);
    for (const entry of entries) {
      expect(entry.title).not.toBe('');
      expect(entry.lesson).toMatch(/^[^\n]{20,160}$/);
      expect(entry.file).toBe(join(builtInExperimentsDir(), `${entry.name}.yaml`));
    }
  });

  it.each(BUILT_INS)('%s runs on the full profile: every component, shard, DC and link it names exists there', (name) => {
    const experiment = loadBuiltInExperiment(name);
    expect(experiment.profile).toBe('full');
    expect(checkExperimentTargets(experiment, loadProfile('full'))).toEqual([]);
  });

  it.each(BUILT_INS)('%s keeps its method to about 90 s, and to 2 minutes if every wait runs to its timeout', (name) => {
    const experiment = loadBuiltInExperiment(name);
    expect(methodLengthMs(experiment, 'nothing')).toBeLessThanOrEqual(90_000);
    expect(methodLengthMs(experiment, 'timeout')).toBeLessThanOrEqual(120_000);
  });

  it.each(BUILT_INS)('%s heals in its rollbacks and is judged by at least one checker', (name) => {
    const experiment = loadBuiltInExperiment(name);
    expect(experiment.rollbacks[0]).toEqual({ type: 'heal' });
    expect(experiment.assertions.length).toBeGreaterThan(0);
  });

  it('asserts what each lesson claims', () => {
    const checks = (name: string) => loadBuiltInExperiment(name).assertions;
    expect(checks('kill-primary')).toEqual(
      expect.arrayContaining([
        { check: 'recoveryWithin', seconds: 5, expect: 'holds' },
        { check: 'noLostAcknowledgedWrites', expect: 'holds' },
      ]),
    );
    // The run passes only when the checker shows the writes that asynchronous replication lost.
    expect(checks('kill-primary-async')).toContainEqual({ check: 'noLostAcknowledgedWrites', expect: 'violated' });
    expect(checks('partition-dcs').map((a) => a.check)).toEqual(
      expect.arrayContaining(['noSplitBrain', 'noLostAcknowledgedWrites', 'projectionsConverge']),
    );
    expect(checks('kill-worker-mid-job').map((a) => a.check)).toContain('noLostJobs');
    expect(checks('slow-replica')).toContainEqual({ check: 'readYourWrites', failOn: true, expect: 'holds' });
  });

  it('uses 200 ms ± 50 between the DCs in cross-dc-latency', () => {
    const faults = loadBuiltInExperiment('cross-dc-latency').method.flatMap((s) => (s.type === 'fault' ? [s.fault] : []));
    expect(faults).toEqual([{ type: 'latency', links: { between: ['dc-a', 'dc-b'] }, ms: 200, jitter: 50 }]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    const attempt = () => loadBuiltInExperiment('kill-everything');
    expect(attempt).toThrow(UnknownExperimentError);
    try {
      attempt();
    } catch (error) {
      expect(isUnknownExperimentError(error) && error.known).toEqual(BUILT_INS);
      expect((error as Error).message).toContain('kill-primary, kill-primary-async');
    }
  });

  it('resolves a built-in name or a file path, as `chaos run <name|file>` takes them', () => {
    expect(resolveExperiment('kill-gateway')).toMatchObject({ name: 'kill-gateway', file: join(builtInExperimentsDir(), 'kill-gateway.yaml') });
    const dir = mkdtempSync(join(tmpdir(), 'faultline-experiment-'));
    const file = join(dir, 'mine.json');
    try {
      writeFileSync(file, JSON.stringify({ version: 1, title: 'Mine', lesson: 'One line.', method: [{ type: 'wait', for: '1s' }] }));
      expect(resolveExperiment(file)).toMatchObject({ name: 'mine', file, experiment: { title: 'Mine', profile: 'full' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
