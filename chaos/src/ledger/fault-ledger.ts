import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultHistoryLine, FaultRecord } from './fault-record.js';

/**
 * The fault ledger: one JSON file per fault in `<state dir>/faults/active/`, written (atomically) BEFORE the
 * fault is applied and removed only after it was undone — so that a runner killed at any instant leaves
 * every fault it may have applied on disk for the next command to undo. `faults/history.jsonl` keeps
 * when each fault began and ended (reports and the dashboard draw fault windows from it).
 */
export class FaultLedger {
  private readonly activeDir: string;
  private readonly historyFile: string;

  constructor(readonly root: string) {
    this.activeDir = join(root, 'faults', 'active');
    this.historyFile = join(root, 'faults', 'history.jsonl');
  }

  /** Every fault not healed yet, oldest first. Unreadable files (a write torn by a crash cannot happen: rename is atomic) are skipped. */
  list(): FaultRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.activeDir).filter((name) => name.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: FaultRecord[] = [];
    for (const name of names) {
      try {
        records.push(JSON.parse(readFileSync(join(this.activeDir, name), 'utf8')) as FaultRecord);
      } catch {
        // Removed by another command between readdir and read.
      }
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  get(id: string): FaultRecord | undefined {
    return this.list().find((record) => record.id === id);
  }

  /** Writes (or rewrites) a record; atomic, so a reader never sees half of it. */
  put(record: FaultRecord): void {
    mkdirSync(this.activeDir, { recursive: true });
    const file = join(this.activeDir, `${record.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
    renameSync(tmp, file);
  }

  remove(id: string): void {
    rmSync(join(this.activeDir, `${id}.json`), { force: true });
  }

  appendHistory(line: FaultHistoryLine): void {
    mkdirSync(join(this.root, 'faults'), { recursive: true });
    appendFileSync(this.historyFile, JSON.stringify(line) + '\n');
  }

  history(): FaultHistoryLine[] {
    let text: string;
    try {
      text = readFileSync(this.historyFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as FaultHistoryLine);
  }
}
