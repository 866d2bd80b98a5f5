import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSlos, scaledRange, SHIPPED_SLO_DIR } from '#libs/slo';
import { loadProfile } from '#libs/topology';
import { createLabContext } from '../../lab-context.js';
import { labPaths } from '../../lab-paths.js';
import { runCommand } from '../../process/run-command.js';
import { prometheusRunner } from './prometheus.component.js';

const stateDir = mkdtempSync(join(tmpdir(), 'faultline-prometheus-spec-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const ctx = createLabContext({
  topology: loadProfile('full', { portBase: 22_000, sloTimeScale: 720 }),
  paths: labPaths(stateDir),
  isRoot: false,
  faultlineBin: '/repo/bin/faultline.js',
  faultProxyUrl: 'http://127.0.0.1:22000',
  run: runCommand,
});

describe('the Prometheus component', () => {
  const prometheus = ctx.component('prometheus');

  it('runs on its own address with its config, its TSDB under the lab\'s data dir and a day of retention', () => {
    const launch = prometheusRunner.launch(prometheus, ctx);
    expect(launch.command).toBe('prometheus');
    expect(launch.stopSignal).toBe('SIGTERM');
    expect(launch.args).toEqual(
      expect.arrayContaining([
        `--config.file=${join(stateDir, 'conf', 'prometheus', 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(stateDir, 'data', 'prometheus')}`,
        '--storage.tsdb.retention.time=1d',
        '--web.listen-address=127.0.0.1:22001',
      ]),
    );
  });

  it('writes the config and the shipped SLOs\' rules at the lab\'s time scale', async () => {
    await prometheusRunner.prepare(prometheus, ctx);
    const config = parse(readFileSync(join(stateDir, 'conf', 'prometheus', 'prometheus.yml'), 'utf8')) as { rule_files: string[] };
    expect(config.rule_files).toEqual([join(stateDir, 'conf', 'prometheus', 'slo-rules.yml')]);
    const rules = parse(readFileSync(config.rule_files[0]!, 'utf8')) as { groups: { name: string; rules: { record?: string; expr: string }[] }[] };
    const slos = loadSlos(SHIPPED_SLO_DIR);
    // Each SLO's 30d window (1 h at time scale 720) is long enough for the slower group.
    expect(rules.groups.map((g) => g.name)).toEqual(slos.flatMap((s) => [`slo-${s.name}`, `slo-${s.name}-long`]));
    // 1 h at time scale 720 is 5 s: the range the recorded `…rate1h` series really covers.
    const hourly = rules.groups[0]!.rules.find((r) => r.record === 'slo:sli_error:ratio_rate1h')!;
    expect(hourly.expr).toContain(`[${scaledRange('1h', { timeScale: 720, scrapeIntervalSeconds: 1 })}]`);
    expect(scaledRange('1h', { timeScale: 720, scrapeIntervalSeconds: 1 })).toBe('5s');
  });
});
