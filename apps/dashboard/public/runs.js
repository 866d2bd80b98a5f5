import { fill, h, showUnavailable } from './dom.js';
import { dateTime, duration } from './format.js';

/** The lab's experiment runs, newest first, each linking to its report (served by the dashboard). */
export function renderRuns(part, root) {
  showUnavailable(root.querySelector('#runs-unavailable'), part.unavailable);
  root.querySelector('#runs-empty').hidden = part.value.length > 0 || part.unavailable !== null;
  fill(
    root.querySelector('#runs tbody'),
    part.value.map((run) =>
      h(
        'tr',
        { dataset: { run: run.id } },
        h('td', {}, dateTime(run.startedAt)),
        h('td', { title: run.experiment }, run.title),
        h('td', {}, h('span', { class: `pill pill-verdict-${run.verdict.replace(/[^a-z]/g, '')}` }, run.verdict)),
        h('td', {}, duration(run.durationSeconds)),
        // Only the dashboard's own report links, opened apart from the page.
        h('td', {}, run.reportUrl && run.reportUrl.startsWith('/runs/') ? h('a', { href: run.reportUrl, target: '_blank', rel: 'noopener noreferrer' }, 'report') : h('span', { class: 'muted' }, 'no report')),
      ),
    ),
  );
}
