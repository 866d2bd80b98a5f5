import { escapeHtml } from './escape-html.js';
import type { ChaosReport, ReportAssertion } from './report.model.js';
import { svgLineChart, type ChartBand } from './svg-chart.js';

/** Witnesses shown per assertion (report.json keeps up to 20; the page stays readable). */
const WITNESSES_SHOWN = 5;

const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2));
const brief = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return escapeHtml(text === undefined ? '' : text.length > 300 ? `${text.slice(0, 299)}…` : text);
};
const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const orDash = (v: number | null, digits = 0): string => (v === null ? '—' : v.toFixed(digits));

function assertionRows(assertions: readonly ReportAssertion[]): string {
  return assertions
    .map(
      (a) =>
        `<tr class="${a.passed ? 'pass' : 'fail'}"><td>${a.passed ? '✓ pass' : '✗ FAIL'}</td><td>${escapeHtml(a.kind)}</td><td>${escapeHtml(a.name)}</td>` +
        `<td>${escapeHtml(a.expected)}</td><td><code>${brief(a.observed)}</code></td><td>${a.violationCount}</td></tr>`,
    )
    .join('\n');
}

function witnesses(assertions: readonly ReportAssertion[]): string {
  const withViolations = assertions.filter((a) => a.violations.length > 0);
  if (withViolations.length === 0) return '<p>No checker found a violation: there is nothing to witness.</p>';
  return withViolations
    .map(
      (a) =>
        `<h3>${escapeHtml(a.name)} — ${a.violationCount} violation${a.violationCount === 1 ? '' : 's'}${a.passed ? ' (allowed: the assertion still holds)' : ''}</h3>` +
        a.violations
          .slice(0, WITNESSES_SHOWN)
          .map(
            (v) =>
              `<details><summary>${escapeHtml(v.description)}</summary><p>History entries (invoke and completion):</p><pre>${json(v.witness)}</pre>` +
              (v.evidence === undefined ? '' : `<p>Evidence from the store:</p><pre>${json(v.evidence)}</pre>`) +
              '</details>',
          )
          .join('') +
        (a.violations.length > WITNESSES_SHOWN ? `<p>… and ${a.violationCount - WITNESSES_SHOWN} more in report.json.</p>` : ''),
    )
    .join('\n');
}

/**
 * report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched) for someone who did
 * not run the experiment — what was done, what happened over time with the faults shaded, what was checked,
 * and the history entries that prove each finding.
 */
/** `2.5 % of 40` for a share measured on some operations, `—` when there was nothing to measure. */
const rate = (sli: { readonly value: number | null; readonly operations: number }): string =>
  sli.value === null ? '—' : `${(sli.value * 100).toFixed(1)} % of ${sli.operations}`;

export function renderReportHtml(report: ChaosReport): string {
  const end = Math.max(report.durationSeconds, report.timeline.length);
  const bands: ChartBand[] = report.faults.map((f) => ({ from: f.injectedAt / 1000, until: (f.healedAt ?? end * 1000) / 1000, label: f.label }));
  const t = report.timeline;
  const throughput = svgLineChart(
    [
      { label: 'ok ops/s', color: '#2a9d4b', points: t.map((p) => [p.t, p.ok]) },
      { label: 'fail + info ops/s', color: '#d62728', points: t.map((p) => [p.t, p.fail + p.info]) },
    ],
    bands,
    { title: 'Throughput', unit: 'operations per second', xMax: end },
  );
  const errors = svgLineChart([{ label: 'error rate', color: '#d62728', points: t.map((p) => [p.t, p.ok + p.fail + p.info === 0 ? null : p.errorRate]) }], bands, {
    title: 'Error rate',
    unit: 'fail + info / completed',
    xMax: end,
    yMax: 1,
  });
  const latency = svgLineChart(
    [
      { label: 'p50', color: '#1f77b4', points: t.map((p) => [p.t, p.p50LatencyMs]) },
      { label: 'p99', color: '#ff7f0e', points: t.map((p) => [p.t, p.p99LatencyMs]) },
    ],
    bands,
    { title: 'Latency of ok operations', unit: 'ms', xMax: end },
  );
  const ops = report.operations;
  const faultRows = report.faults
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.kind)}</td><td>${escapeHtml(f.label)}</td><td>${escapeHtml(f.target)}</td><td>${seconds(f.injectedAt)}</td><td>${seconds(f.healedAt)}</td><td>${escapeHtml(f.shards ? f.shards.join(', ') : 'all')}</td></tr>`,
    )
    .join('\n');
  const stepRows = report.steps
    .map(
      (s) =>
        `<tr class="${s.outcome === 'failed' ? 'fail' : ''}"><td>${escapeHtml(s.phase)} ${s.index + 1}</td><td>${escapeHtml(s.type)}</td><td>${escapeHtml(s.name)}</td><td>${seconds(s.startedAt)}</td><td>${seconds(s.endedAt)}</td><td>${escapeHtml(s.outcome)}${s.detail ? `: ${escapeHtml(s.detail)}` : ''}</td></tr>`,
    )
    .join('\n');
  const measured = report.probes
    .filter((p) => p.passed === null)
    .map((p) => `<li>${escapeHtml(p.name)} at ${seconds(p.at)}: <code>${brief(p.observed)}</code>${p.detail ? ` — ${escapeHtml(p.detail)}` : ''}</li>`)
    .join('');
  const verdictClass = report.verdict === 'pass' ? 'pass' : 'fail';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.experiment.title)} — ${escapeHtml(report.verdict)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{margin-bottom:0}.sub{color:#666;margin-top:4px}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:bold;color:#fff}
.verdict.pass{background:#2a9d4b}.verdict.fail{background:#d62728}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
tr.fail td{background:#fdecea}tr.pass td:first-child{color:#2a9d4b}code,pre{font:12px ui-monospace,monospace}pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:320px}
.numbers td:first-child{width:40%}figure{margin:12px 0}
</style></head><body>
<h1>${escapeHtml(report.experiment.title)}</h1>
<p class="sub">${escapeHtml(report.experiment.name)} · run ${escapeHtml(report.runId)} · ${escapeHtml(report.startedAt)} · ${report.durationSeconds} s · seed ${report.seed} · lab ${escapeHtml(report.topology ?? '?')}</p>
<p><span class="verdict ${verdictClass}">${escapeHtml(report.verdict.toUpperCase())}</span> ${report.reason ? escapeHtml(report.reason) : ''}</p>
<p><strong>Lesson:</strong> ${escapeHtml(report.experiment.lesson)}</p>
${report.experiment.description ? `<p>${escapeHtml(report.experiment.description)}</p>` : ''}
<h2>Numbers</h2>
<table class="numbers">
<tr><td>Longest write recovery among the affected shards</td><td>${report.recoverySeconds === null ? '— (not measured, or never recovered)' : `${report.recoverySeconds.toFixed(2)} s`}</td></tr>
<tr><td>Acknowledged writes lost</td><td>${orDash(report.lostAcknowledgedWrites)}</td></tr>
<tr><td>Duplicated effects</td><td>${orDash(report.duplicates)}</td></tr>
<tr><td>Split-brain overlaps</td><td>${orDash(report.splitBrain)}</td></tr>
<tr><td>Error budget spent</td><td>${report.budgetSpent === null ? '—' : `${(report.budgetSpent * 100).toFixed(1)} %`}</td></tr>
<tr><td>Stale reads (profile reads older than a write acknowledged before them)</td><td>${rate(report.slis.staleReadRate)}</td></tr>
<tr><td>Media fetches the CDN edge served stale (past its TTL)</td><td>${rate(report.slis.edgeStaleRate)}</td></tr>
<tr><td>Operations</td><td>${ops.total} (ok ${ops.ok}, fail ${ops.fail}, info ${ops.info}) · ${report.workload.clients} clients at ${report.workload.ratePerSecond}/s, ${report.workload.missedTicks} ticks missed (every client busy)</td></tr>
</table>
<h2>Over time</h2>
<p>Shaded: the time each fault was active. Operations count in the second they completed; "info" is an operation whose outcome is unknown (a timeout).</p>
<figure>${throughput}</figure><figure>${errors}</figure><figure>${latency}</figure>
<h2>Faults</h2>
<table><tr><th>kind</th><th>what</th><th>target</th><th>injected</th><th>healed</th><th>shards</th></tr>${faultRows || '<tr><td colspan="6">none</td></tr>'}</table>
<h2>Assertions</h2>
<table><tr><th></th><th>kind</th><th>name</th><th>expected</th><th>observed</th><th>violations</th></tr>
${assertionRows(report.assertions) || '<tr><td colspan="6">nothing was judged</td></tr>'}
</table>
<h2>Witnesses</h2>
${witnesses(report.assertions)}
<h2>Steps</h2>
<table><tr><th>step</th><th>type</th><th>name</th><th>from</th><th>to</th><th>outcome</th></tr>${stepRows}</table>
${measured ? `<h2>Measurements</h2><ul>${measured}</ul>` : ''}
${report.notes.length ? `<h2>How to read this</h2><ul>${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
<p class="sub">The full data: report.json and history.jsonl (one operation event per line) next to this file.</p>
</body></html>
`;
}
