import { describe, expect, it } from '@jest/globals';
import { buildReport } from './build-report.js';
import { escapeHtml, escapeXml } from './escape-html.js';
import { renderJunitXml } from './junit-xml.js';
import { reportInput } from './testing/report.fixtures.js';
import { renderReportHtml } from './report-html.js';

const hostile = '<script>alert("x")</script> & \'q\'';

describe('report.html', () => {
  it('is one self-contained page: charts with the fault windows shaded, the assertions, the numbers', () => {
    const html = renderReportHtml(buildReport(reportInput()));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('fill="#e4572e"');
    expect(html).toContain('noLostAcknowledgedWrites (lost-acknowledged-writes)');
    expect(html).toContain('Acknowledged writes lost');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });

  it('escapes every string that comes from the run', () => {
    const base = reportInput();
    const html = renderReportHtml(
      buildReport({
        ...base,
        experiment: { ...base.experiment, title: hostile, lesson: hostile },
        faults: [{ ...base.faults[0]!, label: hostile }],
        probes: [{ name: hostile, type: 'sli', passed: false, observed: hostile, expected: hostile, at: 1, detail: hostile }],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
  });

  it('shows witnesses of violations', () => {
    const base = reportInput();
    const violation = { description: `lost ${hostile}`, witness: base.history.slice(0, 2), evidence: { row: hostile } };
    const html = renderReportHtml(buildReport({ ...base, asserted: [{ name: 'noLostAcknowledgedWrites', passed: false, observed: {}, expected: 'none lost', violations: [violation] }] }));
    expect(html).toContain('lost &lt;script&gt;');
    expect(html).toContain('&quot;type&quot;: &quot;invoke&quot;');
  });
});

describe('JUnit XML', () => {
  it('has one test case per assertion, failures with what was observed, escaped', () => {
    const base = reportInput();
    const xml = renderJunitXml(buildReport({ ...base, probes: [{ name: hostile, type: 'sli', passed: false, observed: 0.4, expected: 'errorRate ≤ 0.01', at: 1 }] }));
    expect(xml).toContain('<testsuite name="chaos.kill-primary" tests="3" failures="1" errors="0"');
    expect(xml).toContain('<failure message="expected errorRate ≤ 0.01" type="probe">observed: 0.4</failure>');
    expect(xml).not.toContain('<script>');
  });

  it('an errored run is one errored case', () => {
    const xml = renderJunitXml(buildReport(reportInput({ error: 'no <lab>', checkers: undefined, asserted: [] })));
    expect(xml).toContain('<error message="no &lt;lab&gt;"/>');
    expect(xml).toContain('errors="1"');
  });
});

describe('escaping', () => {
  it('escapes the five HTML characters, and XML drops what it cannot hold', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0007c')).toBe('abc');
  });
});
