import { z } from 'zod';
import { documented } from './schema-docs.js';

// Documents write durations as text (`500ms`, `10s`, `2m`, `1m30s`): a bare number would leave the unit to
// guess. A parsed experiment holds every duration in milliseconds.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const MAX_DURATION_MS = UNIT_MS.h;

const DURATION_HINT = 'must be a duration like 10s or 500ms';

/** `1m30s` → 90000. Throws on text that is not a duration, so callers validate with `DURATION_PATTERN` first. */
export function durationToMs(text: string): number {
  if (!DURATION_PATTERN.test(text)) throw new RangeError(`"${text}" ${DURATION_HINT}`);
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Math.round(ms);
}

/** 90000 → `1m30s`, 1500 → `1.5s`: how reports print a parsed duration back. */
export function msToDuration(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1_000}s`;
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return rest === 0 ? `${minutes}m` : `${minutes}m${msToDuration(rest)}`;
}

export const durationSchema = documented(
  z
    .string({
      // A bare number is the usual slip: say why it is refused (ms or seconds?) instead of "expected string".
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : typeof issue.input === 'number'
            ? `${DURATION_HINT}: a bare number has no unit, write ${issue.input}ms or ${issue.input}s`
            : DURATION_HINT,
    })
    .regex(DURATION_PATTERN, `${DURATION_HINT} (units: ms, s, m, h; combined like 1m30s)`)
    .transform(durationToMs)
    .refine((ms) => ms <= MAX_DURATION_MS, { message: 'must be at most 1h: an experiment is a short run' }),
  { id: 'Duration', description: 'A duration like 500ms, 10s, 2m or 1m30s.' },
);
