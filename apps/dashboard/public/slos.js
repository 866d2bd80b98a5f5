import { fill, h, showUnavailable } from './dom.js';
import { duration, percent, times } from './format.js';

const burnOf = (slo, window) => slo.burnRates.find((b) => b.window === window)?.burnRate ?? null;

/** One line per alert policy: `page ≥ 14.4×  1h 0.52× · 5m 1.30×`, over-threshold windows marked. */
function burnCell(slo) {
  return h(
    'td',
    { class: 'burns' },
    slo.alerts.map((alert) =>
      h(
        'div',
        { class: `burn ${alert.firing ? 'firing' : ''}`, dataset: { severity: alert.severity } },
        h('span', { class: `sev sev-${alert.severity}` }, alert.severity),
        h('span', { class: 'threshold' }, `≥ ${times(alert.threshold)}`),
        [alert.longWindow, alert.shortWindow].map((window) => {
          const rate = burnOf(slo, window);
          return h('span', { class: `window ${rate !== null && rate >= alert.threshold ? 'over' : ''}` }, `${window} ${times(rate)}`);
        }),
      ),
    ),
  );
}

function budgetCell(slo) {
  const left = slo.budgetRemaining;
  const width = left === null ? 0 : Math.max(0, Math.min(1, left)) * 100;
  const level = left === null ? 'none' : left <= 0 ? 'gone' : left < 0.25 ? 'low' : 'ok';
  const bar = h('div', { class: `bar bar-${level}` }, h('div', { class: 'bar-fill' }));
  bar.firstChild.style.width = `${width}%`;
  return h('td', { class: 'budget' }, bar, h('span', {}, percent(left, 1)));
}

export function renderSlos(part, root) {
  showUnavailable(root.querySelector('#slos-unavailable'), part.unavailable);
  const rows = part.value.map((slo) =>
    h(
      'tr',
      { class: `slo alert-${slo.alertState}`, dataset: { slo: slo.name } },
      h('td', { class: 'slo-name', title: slo.description }, h('strong', {}, slo.displayName), h('div', { class: 'muted' }, `${slo.name} · ${slo.service}`), h('div', { class: 'muted small' }, slo.description)),
      h('td', {}, h('span', { class: slo.sli !== null && slo.sli < slo.target ? 'bad' : '' }, percent(slo.sli, 3)), h('span', { class: 'muted' }, ` / ${percent(slo.target, 2)}`)),
      budgetCell(slo),
      burnCell(slo),
      h('td', {}, slo.timeToExhaustionSeconds === null ? h('span', { class: 'muted' }, 'not burning') : duration(slo.timeToExhaustionSeconds)),
      h('td', {}, h('span', { class: `pill pill-alert-${slo.alertState}` }, slo.alertState)),
    ),
  );
  fill(root.querySelector('#slos tbody'), rows);
}
