import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `healed` lines of the lab's fault history (`faults/history.jsonl`) for one fault. */
export function healedEntries(stateDir: string, faultId: string): { id: string; event: string; reason?: string }[] {
  return readFileSync(join(stateDir, 'faults', 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; event: string; reason?: string })
    .filter((e) => e.id === faultId && e.event === 'healed');
}
