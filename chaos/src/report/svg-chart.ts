import { escapeHtml } from './escape-html.js';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** [x, y] points; a null y breaks the line. */
  readonly points: readonly (readonly [number, number | null])[];
}

export interface ChartBand {
  readonly from: number;
  readonly until: number;
  readonly label: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly unit: string;
  readonly xMax: number;
  /** Default: the data's maximum (at least 1). */
  readonly yMax?: number;
  readonly width?: number;
  readonly height?: number;
}

const niceMax = (value: number): number => {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
};

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(n < 1 ? 2 : 1));

/**
 * A line chart as inline SVG, no script: fault windows shaded behind the lines, axes with a few ticks, a
 * legend. Every string is escaped.
 */
export function svgLineChart(series: readonly ChartSeries[], bands: readonly ChartBand[], options: ChartOptions): string {
  const width = options.width ?? 920;
  const height = options.height ?? 200;
  const pad = { left: 56, right: 12, top: 28, bottom: 28 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const dataMax = Math.max(0, ...series.flatMap((s) => s.points.map(([, y]) => y ?? 0)));
  const yMax = options.yMax ?? niceMax(dataMax);
  const xMax = options.xMax > 0 ? options.xMax : 1;
  const x = (v: number) => pad.left + (Math.min(Math.max(v, 0), xMax) / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;

  const shaded = bands
    .map(
      (b) =>
        `<rect x="${x(b.from).toFixed(1)}" y="${pad.top}" width="${Math.max(1, x(b.until) - x(b.from)).toFixed(1)}" height="${plotH}" fill="#e4572e" fill-opacity="0.13"><title>${escapeHtml(b.label)}</title></rect>` +
        `<text x="${(x(b.from) + 3).toFixed(1)}" y="${pad.top + 11}" font-size="10" fill="#a33">${escapeHtml(b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label)}</text>`,
    )
    .join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = yMax * f;
      return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${escapeHtml(fmt(v))}</text>`;
    })
    .join('');
  const xStep = niceMax(xMax / 8);
  const xTicks: string[] = [];
  for (let v = 0; v <= xMax + 1e-9; v += xStep)
    xTicks.push(`<text x="${x(v).toFixed(1)}" y="${height - 10}" font-size="10" text-anchor="middle" fill="#555">${escapeHtml(fmt(v))}s</text>`);
  const lines = series
    .map((s) => {
      const segments: string[] = [];
      let current: string[] = [];
      for (const [px, py] of s.points) {
        if (py === null) {
          if (current.length) segments.push(current.join(' '));
          current = [];
          continue;
        }
        current.push(`${x(px).toFixed(1)},${y(py).toFixed(1)}`);
      }
      if (current.length) segments.push(current.join(' '));
      return segments.map((pts) => `<polyline points="${pts}" fill="none" stroke="${escapeHtml(s.color)}" stroke-width="1.6"/>`).join('');
    })
    .join('');
  const legend = series
    .map((s, i) => `<rect x="${pad.left + 8 + i * 130}" y="8" width="10" height="10" fill="${escapeHtml(s.color)}"/><text x="${pad.left + 22 + i * 130}" y="17" font-size="11">${escapeHtml(s.label)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<text x="${width - pad.right}" y="17" font-size="12" text-anchor="end" font-weight="bold">${escapeHtml(options.title)} (${escapeHtml(options.unit)})</text>` +
    yTicks +
    shaded +
    lines +
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#888"/><line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#888"/>` +
    xTicks.join('') +
    legend +
    '</svg>'
  );
}
