import { HistoryInvalidError } from './history.errors.js';
import { historyEntrySchema, type HistoryEntry } from './operation.js';

/** history.jsonl: one entry per line, in history order, so a partial file from a crashed run still parses up to the crash. */
export const serializeHistory = (history: readonly HistoryEntry[]): string => history.map((entry) => `${JSON.stringify(entry)}\n`).join('');

/**
 * Reads history.jsonl, validating every line (blank lines are skipped). Raises HistoryInvalidError with the
 * line number on the first line that is not JSON or not an entry; pairing is checked by completedOperations.
 */
export function parseHistory(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new HistoryInvalidError('not JSON', i + 1);
    }
    const parsed = historyEntrySchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HistoryInvalidError(`${issue.path.join('.') || '(entry)'}: ${issue.message}`, i + 1);
    }
    entries.push(parsed.data);
  });
  return entries;
}
