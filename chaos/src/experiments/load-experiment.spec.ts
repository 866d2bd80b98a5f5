import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { isExperimentInvalidError, type ExperimentIssue } from './experiment.errors.js';
import { experimentFromText, experimentFromValue, loadExperimentFile, type LoadExperimentOptions } from './load-experiment.js';

const VALID = `version: 1
title: Kill a gateway
lesson: Gateways are stateless.
method:
  - type: workload
    action: start
  - type: fault
    at: 5s
    duration: 1m30s
    fault: { type: kill, component: dc-a.gateway-1 }
  - type: wait
    until: { type: sli, sli: errorRate, tolerance: { max: 0.01 } }
    timeout: 30s
assertions:
  - check: noLostAcknowledgedWrites
`;

function issuesOf(text: string, options: LoadExperimentOptions = {}): readonly ExperimentIssue[] {
  try {
    experimentFromText(text, 'test.yaml', options);
  } catch (error) {
    if (isExperimentInvalidError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected the experiment to be refused');
}

/** The valid document with one line replaced (1-based), to break one thing at a known line. */
const withLine = (line: number, text: string) =>
  VALID.split('\n')
    .map((l, i) => (i === line - 1 ? text : l))
    .join('\n');

describe('loading an experiment', () => {
  it('fills in the defaults and turns every duration into milliseconds', () => {
    const experiment = experimentFromText(VALID, 'test.yaml');
    expect(experiment).toMatchObject({ profile: 'full', description: '', tags: [], rollbacks: [], stopConditions: [] });
    expect(experiment.workload).toEqual({ clients: 8, ratePerSecond: 40, mix: { register: 1, login: 2, update: 2, read: 6, upload: 1, fetch: 0 } });
    expect(experiment.method[1]).toEqual({ type: 'fault', at: 5_000, duration: 90_000, fault: { type: 'kill', component: 'dc-a.gateway-1' } });
    expect(experiment.method[2]).toEqual({
      type: 'wait',
      until: { type: 'sli', sli: 'errorRate', window: 10_000, tolerance: { max: 0.01 } },
      timeout: 30_000,
    });
    expect(experiment.assertions).toEqual([{ check: 'noLostAcknowledgedWrites', expect: 'holds' }]);
  });

  it('reads JSON too, with the line of each problem', () => {
    const json = JSON.stringify({ version: 1, title: 'J', lesson: 'L', method: [{ type: 'wait', for: '1s' }] }, null, 2);
    expect(experimentFromText(json, 'test.json').method).toEqual([{ type: 'wait', for: 1_000 }]);
    const broken = JSON.stringify({ version: 1, title: 'J', lesson: 'L', method: [{ type: 'wait', for: 10 }] }, null, 2);
    expect(issuesOf(broken)).toEqual([
      { path: 'method.0.for', line: 8, message: 'must be a duration like 10s or 500ms: a bare number has no unit, write 10ms or 10s' },
    ]);
  });

  it('names the field and the line of a value of the wrong type, and says what to write', () => {
    expect(issuesOf(`${VALID}workload:\n  clients: many\n`)).toEqual([
      { path: 'workload.clients', line: 17, message: 'must be a number, not the string "many"' },
    ]);
    expect(issuesOf(VALID.replace('title: Kill a gateway\n', ''))).toEqual([{ path: 'title', line: 1, message: 'is required: write a string' }]);
  });

  it('names an unknown field at its own line, suggesting the field meant', () => {
    const issues = issuesOf(withLine(8, '    durration: 1m30s'));
    expect(issues).toEqual([
      {
        path: 'method.1.durration',
        line: 8,
        message: 'unknown field "durration" — did you mean "duration"?; the fields here are type, name, at, duration, fault',
      },
    ]);
  });

  it('explains a bad duration', () => {
    expect(issuesOf(withLine(9, '    duration: 90 seconds'))).toEqual([
      { path: 'method.1.duration', line: 9, message: 'must be a duration like 10s or 500ms (units: ms, s, m, h; combined like 1m30s)' },
    ]);
    expect(issuesOf(withLine(9, '    duration: 2h'))).toEqual([{ path: 'method.1.duration', line: 9, message: 'must be at most 1h: an experiment is a short run' }]);
  });

  it('lists the fault types when one is unknown, or missing', () => {
    expect(issuesOf(withLine(10, '    fault: { type: latncy, links: { name: x } }'))[0]).toEqual({
      path: 'method.1.fault.type',
      line: 10,
      message: expect.stringMatching(/^unknown type "latncy": write one of "latency", "bandwidth", .*"async-replication" — did you mean "latency"\?$/),
    });
    expect(issuesOf(withLine(10, '    fault: { component: geo }'))[0]).toMatchObject({ path: 'method.1.fault.type', line: 10, message: expect.stringMatching(/^is required: write type: one of "latency"/) });
  });

  it('reports a YAML syntax error with its line', () => {
    expect(issuesOf(withLine(10, '    fault: { type: kill, component: dc-a.gateway-1'))).toEqual([
      // Where the parser finds the map unclosed; the errors that follow from it are left out.
      { path: '', line: 11, message: expect.stringContaining('Flow map') },
    ]);
    expect(issuesOf(withLine(6, '\taction: start'))).toEqual([{ path: '', line: 6, message: 'Tabs are not allowed as indentation' }]);
    expect(issuesOf(`${VALID}title: again\n`)).toEqual([{ path: '', line: 16, message: 'Map keys must be unique' }]);
  });

  it('reports every problem at once', () => {
    const text = withLine(9, '    duration: soon').replace('lesson: Gateways are stateless.', 'lesson: 42\nretries: 3');
    expect(issuesOf(text).map((i) => `${i.path}@${i.line}`)).toEqual(['lesson@3', 'retries@4', 'method.1.duration@10']);
  });

  it('enforces the rules across fields, each at the field to change', () => {
    const cases: [string, string, string][] = [
      ['  - { type: wait }', 'method.0', 'give either for: <duration> (like 10s) or until: <probe> with a timeout'],
      ['  - { type: wait, until: { type: sli, sli: errorRate }, timeout: 30s }', 'method.0.until.tolerance', 'a wait until needs a condition: add tolerance: { max: 0.01 }'],
      ['  - { type: wait, for: 1s, timeout: 5s }', 'method.0.timeout', 'only applies with until: <probe>'],
      ['  - { type: fault, duration: 5s, fault: { type: restart, component: monitor } }', 'method.0.duration', 'a restart has no duration: use type kill with a duration to keep a component down'],
      ['  - { type: fault, fault: { type: latency, links: {}, ms: 100 } }', 'method.0.fault.links', 'picks every link: give at least one of name, from, to, kind or between'],
      ['  - { type: fault, fault: { type: latency, links: { to: postgres, oneWay: true }, ms: 1 } }', 'method.0.fault.links.oneWay', 'only applies with between: [<from dc>, <to dc>]'],
      ['  - { type: fault, fault: { type: partition, between: [dc-a, dc-a] } }', 'method.0.fault.between', 'must name two different data centers, like [dc-a, dc-b]'],
      ['  - { type: fault, fault: { type: kill, component: { primaryOf: 0, replicaOf: 1 } } }', 'method.0.fault.component', 'must be a component id like "dc-a.gateway-1", or { primaryOf: <shard> }, or { replicaOf: <shard> }'],
      ['  - { type: probe, probe: { type: http, path: /v1/openapi.json, url: "http://x" } }', 'method.0.probe', 'give either path (on the entrypoint, like /v1/openapi.json) or url, not both'],
    ];
    for (const [step, path, message] of cases) {
      const text = `version: 1\ntitle: t\nlesson: l\nmethod:\n${step}\n`;
      expect(issuesOf(text)).toEqual([{ path, line: 5, message }]);
    }
  });

  it('refuses a steady-state probe without a tolerance, a workload above the rate limit, and assertions without a workload', () => {
    const text = `version: 1
title: t
lesson: l
workload: { clients: 2, ratePerSecond: 500 }
steadyStateHypothesis:
  title: steady
  probes:
    - { type: sli, sli: p99LatencyMs }
method:
  - { type: wait, for: 1s }
assertions:
  - { check: noSplitBrain }
`;
    expect(issuesOf(text)).toEqual([
      { path: 'workload.ratePerSecond', line: 4, message: expect.stringMatching(/^is above the gateway's limit of 100 per second per client for 2 clients/) },
      { path: 'steadyStateHypothesis.probes.0.tolerance', line: 8, message: 'a steady-state probe needs a condition: add tolerance: { max: 0.01 }' },
      { path: 'method', line: 9, message: 'the assertions need a workload: add a step { type: workload, action: start }' },
    ]);
  });

  it('checks components, shards and links against a topology when given one, with their lines', () => {
    const text = withLine(10, '    fault: { type: kill, component: dc-a.gateway-9 }').replace(
      'assertions:',
      '  - { type: fault, fault: { type: partition, between: [dc-a, dc-c] } }\n  - { type: probe, probe: { type: sql, shard: 2, query: select 1 } }\nassertions:',
    );
    expect(() => experimentFromText(text, 'test.yaml')).not.toThrow();
    expect(issuesOf(text, { topology: loadProfile('full') })).toEqual([
      { path: 'method.1.fault.component', line: 10, message: 'no component "dc-a.gateway-9" in the topology "full": did you mean "dc-a.gateway-1"?' },
      { path: 'method.3.fault.between.1', line: 14, message: 'no data center "dc-c" in the topology "full": its data centers are dc-a, dc-b' },
      { path: 'method.3.fault', line: 14, message: 'cuts no link in the topology "full"' },
      { path: 'method.4.probe.shard', line: 15, message: 'no shard 2 in the topology "full": its shards are 0, 1' },
    ]);
    expect(() => experimentFromText(VALID, 'test.yaml', { topology: loadProfile('full') })).not.toThrow();
  });

  it('validates a value as a file, naming its source, and refuses a file it cannot read', () => {
    expect(() => experimentFromValue({ version: 2 }, 'my-experiment.ts')).toThrow(/^invalid experiment my-experiment\.ts:\n  version: must be 1/);
    expect(() => loadExperimentFile('/nonexistent/x.yaml')).toThrow(/cannot read the file/);
    try {
      experimentFromValue({}, 'v');
    } catch (error) {
      expect(isExperimentInvalidError(error) && error.code).toBe('EXPERIMENT_INVALID');
      expect(isExperimentInvalidError(error) && error.issues.every((i) => i.line === undefined)).toBe(true);
    }
  });
});
