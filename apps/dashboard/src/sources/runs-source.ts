import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunView } from '../domain/snapshot.model.js';

/** A run folder's name as `chaos run` makes it (`2026-11-27T05-12-03Z-kill-primary`): nothing that could climb out of runs/. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** The experiment runs of the lab (`<state dir>/runs/<id>/report.json`, written by `faultline chaos run`), newest first. */
export class RunsSource {
  readonly dir: string;

  constructor(stateRoot: string) {
    this.dir = join(stateRoot, 'runs');
  }

  list(limit = 50): RunView[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => RUN_ID.test(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const runs: RunView[] = [];
    for (const id of names.sort().reverse()) {
      if (runs.length >= limit) break;
      const report = this.readReport(id);
      if (report) runs.push(report);
    }
    return runs;
  }

  /** The report.html of a run, or undefined when there is none (or the id is not a run's). */
  reportHtmlPath(id: string): string | undefined {
    if (!RUN_ID.test(id)) return undefined;
    const file = join(this.dir, id, 'report.html');
    return existsSync(file) ? file : undefined;
  }

  private readReport(id: string): RunView | undefined {
    let report: { experiment?: { name?: unknown; title?: unknown }; verdict?: unknown; startedAt?: unknown; durationSeconds?: unknown };
    try {
      report = JSON.parse(readFileSync(join(this.dir, id, 'report.json'), 'utf8')) as typeof report;
    } catch {
      // A run still going (report.json is written last) or a folder that is not a run.
      return undefined;
    }
    const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
    return {
      id,
      experiment: text(report.experiment?.name, id),
      title: text(report.experiment?.title, text(report.experiment?.name, id)),
      verdict: text(report.verdict, 'unknown'),
      startedAt: text(report.startedAt, ''),
      durationSeconds: typeof report.durationSeconds === 'number' ? report.durationSeconds : null,
      reportUrl: this.reportHtmlPath(id) ? `/runs/${encodeURIComponent(id)}/report.html` : null,
    };
  }
}
