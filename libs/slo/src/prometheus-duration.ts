/**
 * Durations the way Prometheus writes them (`5m`, `1m30s`, `2d12h`, `250ms`): units from the largest, each at
 * most once. Weeks and years are left out on purpose: `28d` reads better than `4w` next to `30d`.
 */
const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** 90 → `1m30s`, 0.25 → `250ms`, 2_592_000 → `30d`; rounded to whole milliseconds (Prometheus's resolution). */
export function formatPrometheusDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`a Prometheus duration must be a positive number of seconds, not ${seconds}`);
  let ms = Math.max(1, Math.round(seconds * 1000));
  let text = '';
  for (const [unit, size] of UNITS) {
    const count = Math.floor(ms / size);
    if (count > 0) text += `${count}${unit}`;
    ms -= count * size;
  }
  return text;
}

const PART = /(\d+)(ms|s|m|h|d|w)/g;
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `1m30s` → 90; undefined for text that is not a duration in whole units. */
export function parsePrometheusDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * SECONDS[unit!]!;
  return seconds;
}
