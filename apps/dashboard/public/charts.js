import { h, showUnavailable } from './dom.js';

// uPlot (the charting library) comes from node_modules through the dashboard server, as a global.
const { uPlot } = window;

const COLORS = { throughput: '#2563eb', errors: '#dc2626', p50: '#16a34a', p95: '#d97706', p99: '#9333ea' };

const DEFINITIONS = [
  { id: 'chart-throughput', series: [{ label: 'req/s', key: 'throughput', stroke: COLORS.throughput, fill: 'rgba(37,99,235,0.08)' }], value: (v) => v },
  { id: 'chart-errors', series: [{ label: '5xx %', key: 'errorRatio', stroke: COLORS.errors, fill: 'rgba(220,38,38,0.08)' }], value: (v) => v * 100 },
  {
    id: 'chart-latency',
    series: [
      { label: 'p50 ms', key: 'p50', stroke: COLORS.p50 },
      { label: 'p95 ms', key: 'p95', stroke: COLORS.p95 },
      { label: 'p99 ms', key: 'p99', stroke: COLORS.p99 },
    ],
    value: (v) => v * 1000,
  },
];

const seriesOf = (charts, key) => (key === 'throughput' ? charts.throughput : key === 'errorRatio' ? charts.errorRatio : charts.latency[key]);

/**
 * Three live uPlot charts over the same time range, each with the fault windows of the fault ledger drawn
 * over its plot as shaded bands (DOM elements in uPlot's overlay: `.fault-band[data-fault-id]`).
 */
export class Charts {
  constructor(root) {
    this.root = root;
    this.range = { min: Date.now() / 1000 - 300, max: Date.now() / 1000 };
    this.windows = [];
    this.plots = DEFINITIONS.map((definition) => this.create(definition));
    window.addEventListener('resize', () => this.resize());
  }

  create(definition) {
    const container = this.root.querySelector(`#${definition.id}`);
    container.append(h('div', { class: 'chart-title' }, container.dataset.title));
    const plot = new uPlot(
      {
        width: this.widthOf(container),
        height: 170,
        scales: { x: { time: true, auto: false, range: () => [this.range.min, this.range.max] }, y: { auto: true, range: (u, min, max) => [0, Math.max(max ?? 0, definition.id === 'chart-errors' ? 1 : 0.001) * 1.1] } },
        series: [{}, ...definition.series.map((s) => ({ label: s.label, stroke: s.stroke, fill: s.fill, width: 1.5, spanGaps: false }))],
        axes: [{}, { size: 56 }],
        legend: { show: true },
        hooks: { draw: [(u) => this.drawBands(u)] },
      },
      [[], ...definition.series.map(() => [])],
      container,
    );
    return { definition, plot, container };
  }

  widthOf(container) {
    return Math.max(260, Math.floor(container.clientWidth || 360));
  }

  resize() {
    for (const { plot, container } of this.plots) plot.setSize({ width: this.widthOf(container), height: 170 });
  }

  update(part, faults) {
    showUnavailable(this.root.querySelector('#charts-unavailable'), part.unavailable);
    const now = Date.now() / 1000;
    const charts = part.value;
    this.range = { min: now - charts.rangeSeconds, max: now };
    this.windows = faults;
    for (const { definition, plot } of this.plots) {
      const first = seriesOf(charts, definition.series[0].key);
      const data = [first.times, ...definition.series.map((s) => seriesOf(charts, s.key).values.map((v) => (v === null ? null : definition.value(v))))];
      plot.setData(data, true);
      // The time axis moves with the clock, data or not (the fault bands are redrawn with it).
      plot.setScale('x', this.range);
    }
  }

  /** The fault windows as shaded bands over the plot area (uPlot's `over` element). */
  drawBands(u) {
    for (const band of u.over.querySelectorAll('.fault-band')) band.remove();
    const { min, max } = this.range;
    for (const w of this.windows) {
      const start = Math.max(w.start / 1000, min);
      const end = Math.min(w.end === null ? max : w.end / 1000, max);
      if (end < min || start > max) continue;
      const left = u.valToPos(start, 'x');
      const right = u.valToPos(end, 'x');
      const band = h('div', { class: `fault-band fault-${w.kind}${w.end === null ? ' open' : ''}`, title: `${w.label} (${w.id})`, dataset: { faultId: w.id } }, h('span', { class: 'band-label' }, w.kind));
      band.style.left = `${left}px`;
      band.style.width = `${Math.max(2, right - left)}px`;
      u.over.append(band);
    }
  }
}
