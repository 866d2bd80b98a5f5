import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BURN_RATE_POLICIES, isSloDocumentError, loadSlos, renderPrometheusRules, SHIPPED_SLO_DIR, type Slo } from '#libs/slo';
import { printJson } from '../lab-options.js';

/** The lab's Prometheus scrapes every second; a rule file for it clamps its ranges to 4 of those. */
const DEFAULT_SCRAPE_INTERVAL_SECONDS = 1;

const parseTimeScale = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1) throw new Error(`--time-scale must be a number ≥ 1: 1 is real time, 720 makes 30 days pass in an hour (got "${value}")`);
  return n;
};

const parseScrapeInterval = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--scrape-interval must be a positive number of seconds, e.g. 15 (got "${value}")`);
  return n;
};

const percent = (ratio: number): string => `${Number((ratio * 100).toFixed(4))} %`;

/** `api-availability  99.9 % over 30d  Public API availability (public-api)`, one SLO a line. */
export function sloListText(slos: readonly Slo[]): string {
  const width = Math.max(0, ...slos.map((s) => s.name.length));
  const lines = slos.map((s) => {
    const bound = s.threshold ? ` within ${s.threshold.value} s` : '';
    return `${s.name.padEnd(width)}  ${percent(s.target).padStart(8)} over ${s.window}${bound}  ${s.displayName} (${s.service})`;
  });
  return `${lines.join('\n')}\n`;
}

const sloJson = (s: Slo) => ({
  name: s.name,
  displayName: s.displayName,
  service: s.service,
  description: s.description,
  target: s.target,
  window: s.window,
  windowSeconds: s.windowSeconds,
  good: s.good,
  total: s.total,
  threshold: s.threshold ?? null,
  file: s.file,
});

export function registerSlo(program: Command): void {
  const slo = program
    .command('slo')
    .description('Service level objectives as documents: list and check them, and generate the Prometheus recording rules and burn-rate alerts.')
    .addHelpText(
      'after',
      `
SLO documents are OpenSLO-shaped YAML (apiVersion openslo/v1, kind SLO); the lab's ship in ${SHIPPED_SLO_DIR}.
Each is a ratio of two Prometheus counters (good / total), a target and a rolling window; faultline records the
error ratio over 5m, 30m, 1h, 6h, 3d and the SLO's window, and raises the SRE Workbook's alerts:
${BURN_RATE_POLICIES.map((p) => `  ${p.severity.padEnd(6)} ${String(p.factor).padStart(4)}x burn rate over ${p.longWindow} and ${p.shortWindow}`).join('\n')}

Examples:
  faultline slo list
  faultline slo check my-slos/*.yaml
  faultline slo rules --time-scale 720 --out slo.rules.yaml     # 30 days of budget pass in one hour`,
    );

  slo
    .command('list')
    .description('The SLOs: name, target and window, what they measure.')
    .option('--dir <dir>', 'a folder of SLO documents instead of the shipped ones')
    .option('--json', 'print {"slos": [{ name, displayName, service, description, target, window, windowSeconds, good, total, threshold, file }]}')
    .action((options: { dir?: string; json?: boolean }) => {
      const slos = loadSlos(options.dir ?? SHIPPED_SLO_DIR);
      if (options.json) printJson({ slos: slos.map(sloJson) });
      else process.stdout.write(sloListText(slos));
    });

  slo
    .command('check <file...>')
    .description('Validate SLO documents; every problem is printed with its file, field and line.')
    .addHelpText(
      'after',
      `
Exit codes: 0 every document is valid, 1 a document is invalid (each problem on its own line), 2 bad usage.

Examples:
  faultline slo check slo/api-latency.yaml
  faultline slo check my-slos/*.yaml`,
    )
    .action((files: string[]) => {
      let slos: Slo[];
      try {
        slos = loadSlos(files);
      } catch (error) {
        if (isSloDocumentError(error)) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
      process.stdout.write(`${slos.map((s) => `ok  ${s.file}  ${s.name}`).join('\n')}\n`);
    });

  slo
    .command('rules')
    .description('Print the Prometheus rule file (recording rules and alerts) for the SLOs.')
    .option('--time-scale <n>', 'how much faster SLO windows pass than real time: each range is nominal / n', parseTimeScale, 1)
    .option('--scrape-interval <seconds>', "Prometheus's scrape interval: no range is shorter than 4 of them (rate() needs samples)", parseScrapeInterval, DEFAULT_SCRAPE_INTERVAL_SECONDS)
    .option('--dir <dir>', 'a folder of SLO documents instead of the shipped ones')
    .option('--out <file>', 'write the rule file there instead of printing it')
    .addHelpText(
      'after',
      `
The recorded series keep the nominal window in their names (slo:sli_error:ratio_rate1h{slo="…"}) whatever the
time scale. Check the result with: promtool check rules <file>

Examples:
  faultline slo rules > slo.rules.yaml
  faultline slo rules --time-scale 720 --scrape-interval 5 --out /tmp/slo.rules.yaml
  faultline slo rules --dir my-slos`,
    )
    .action((options: { timeScale: number; scrapeInterval: number; dir?: string; out?: string }) => {
      const slos = loadSlos(options.dir ?? SHIPPED_SLO_DIR);
      const text = renderPrometheusRules(slos, { timeScale: options.timeScale, scrapeIntervalSeconds: options.scrapeInterval });
      if (!options.out) {
        process.stdout.write(text);
        return;
      }
      writeFileSync(options.out, text);
      process.stderr.write(`faultline: wrote the rules of ${slos.length} SLOs to ${options.out} (time scale ${options.timeScale})\n`);
    });
}
