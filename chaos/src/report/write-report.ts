import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeHistory } from '../history/history.jsonl.js';
import type { HistoryEntry } from '../history/operation.js';
import type { ChaosReport } from './report.model.js';
import { renderReportHtml } from './report-html.js';

/** `2026-11-27T05-12-03Z-kill-primary`: sorts by time, safe in any file system. */
export const runDirName = (startedAtMs: number, name: string): string => `${new Date(startedAtMs).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${name}`;

/** Writes report.json, history.jsonl and report.html into `dir` (created); returns the path of report.json. */
export function writeReportDir(dir: string, report: ChaosReport, history: readonly HistoryEntry[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.jsonl'), serializeHistory(history));
  writeFileSync(join(dir, 'report.html'), renderReportHtml(report));
  // Last: its presence says the directory is complete.
  const file = join(dir, 'report.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
