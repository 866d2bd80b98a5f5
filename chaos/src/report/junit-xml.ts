import { escapeXml } from './escape-html.js';
import type { ChaosReport } from './report.model.js';

/**
 * JUnit XML for CI: one test suite per run, one test case per assertion row (a failed one carries its observed
 * value and first violation); a run that could not finish is one errored case with the reason.
 */
export function renderJunitXml(report: ChaosReport): string {
  const suite = `chaos.${report.experiment.name}`;
  const cases = report.assertions.map((a) => {
    const body = a.passed
      ? ''
      : `<failure message="${escapeXml(`expected ${a.expected}`)}" type="${escapeXml(a.kind)}">${escapeXml(
          `observed: ${JSON.stringify(a.observed)}${a.violations[0] ? `\nfirst violation: ${a.violations[0].description}` : ''}`,
        )}</failure>`;
    return `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(a.name)}" time="0">${body}</testcase>`;
  });
  if (report.verdict === 'error')
    cases.push(`    <testcase classname="${escapeXml(suite)}" name="the experiment runs" time="0"><error message="${escapeXml(report.reason ?? 'the experiment could not run')}"/></testcase>`);
  const failures = report.assertions.filter((a) => !a.passed).length;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="faultline chaos" tests="${cases.length}" failures="${failures}" errors="${report.verdict === 'error' ? 1 : 0}" time="${report.durationSeconds}">\n` +
    `  <testsuite name="${escapeXml(suite)}" tests="${cases.length}" failures="${failures}" errors="${report.verdict === 'error' ? 1 : 0}" time="${report.durationSeconds}" timestamp="${escapeXml(report.startedAt)}">\n` +
    `${cases.join('\n')}\n` +
    '  </testsuite>\n</testsuites>\n'
  );
}
