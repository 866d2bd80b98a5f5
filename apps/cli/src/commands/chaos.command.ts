import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { listBuiltInExperiments, renderJunitXml, runChaosExperiment, type ChaosRunResult, type RunProgress } from '#chaos';
import { addStateDirOption, faultlineBin, pathsOf, printJson, type LabCommandOptions } from '../lab-options.js';

interface RunOptions extends LabCommandOptions {
  seed?: number;
  junit?: string;
}

const parseSeed = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(`--seed must be a whole number from 0 to 4294967295 (got "${value}")`);
  return n;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const progressLine = (p: RunProgress): string =>
  `[${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s] ${p.phase} · ${p.opsPerSecond.toFixed(1)} ops/s · ${plural(p.errors, 'error')} · ${plural(p.activeFaults, 'active fault')}`;

/**
 * The live progress line on stderr: redrawn in place on a terminal; elsewhere (CI, pipes) a plain line at
 * every phase change and every 10 s, so logs stay short and readable.
 */
function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: RunProgress): void; line(text: string): void; done(): void } {
  let drawn = false;
  if (stream.isTTY) {
    return {
      update(p) {
        const text = progressLine(p);
        stream.write(`\r\x1b[2K${text.slice(0, (stream.columns ?? 120) - 1)}`);
        drawn = true;
      },
      line(text) {
        stream.write(`${drawn ? '\r\x1b[2K' : ''}${text}\n`);
        drawn = false;
      },
      done() {
        if (drawn) stream.write('\r\x1b[2K');
        drawn = false;
      },
    };
  }
  let lastPhase = '';
  let lastAt = -Infinity;
  return {
    update(p) {
      if (p.phase === lastPhase && p.elapsedMs - lastAt < 10_000) return;
      lastPhase = p.phase;
      lastAt = p.elapsedMs;
      stream.write(`${progressLine(p)}\n`);
    },
    line: (text) => stream.write(`${text}\n`),
    done() {},
  };
}

function summary(result: ChaosRunResult): string {
  const r = result.report;
  const ops = r.operations;
  const failed = r.assertions.filter((a) => !a.passed);
  const lines = [
    `${r.verdict === 'pass' ? 'PASS' : r.verdict === 'fail' ? 'FAIL' : 'ERROR'}  ${r.experiment.title} (${r.durationSeconds} s, seed ${r.seed})`,
    ...(r.reason ? [`  ${r.reason}`] : []),
    `  operations: ${ops.total} (ok ${ops.ok}, fail ${ops.fail}, info ${ops.info})`,
    `  recovery: ${r.recoverySeconds === null ? '—' : `${r.recoverySeconds.toFixed(2)} s`} · lost acknowledged writes: ${r.lostAcknowledgedWrites ?? '—'} · duplicates: ${r.duplicates ?? '—'} · split brain: ${r.splitBrain ?? '—'} · error budget spent: ${r.budgetSpent === null ? '—' : `${(r.budgetSpent * 100).toFixed(1)} %`}`,
    ...r.faults.map((f) => `  fault ${f.id}: ${f.label}, ${(f.injectedAt / 1000).toFixed(1)} s → ${f.healedAt === null ? 'not healed' : `${(f.healedAt / 1000).toFixed(1)} s`}`),
    ...r.assertions.map((a) => `  ${a.passed ? '✓' : '✗'} ${a.name}${a.passed ? '' : ` — expected ${a.expected}`}`),
    ...(failed.length > 0 ? [`  witnesses: ${resolve(result.dir, 'report.html')}`] : []),
    `  report: ${resolve(result.dir, 'report.html')}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function registerChaos(program: Command): void {
  const chaos = program
    .command('chaos')
    .description('Run chaos experiments against the running lab: a workload, faults, rollbacks, and checkers over what happened.')
    .addHelpText(
      'after',
      `
Examples:
  faultline chaos list
  faultline chaos run kill-primary                    # a built-in experiment (needs: faultline up --profile full)
  faultline chaos run kill-primary --seed 42 --json   # same workload choices as any other run with seed 42
  faultline chaos run ./my-experiment.yaml --junit chaos.xml

The experiment format: chaos/experiments/README.md.`,
    );

  chaos
    .command('list')
    .description('The built-in experiments: name, title and the lesson each one teaches.')
    .option('--json', 'print {"experiments": [{ name, title, lesson, tags, file }]}')
    .action((options: { json?: boolean }) => {
      const experiments = listBuiltInExperiments();
      if (options.json) {
        printJson({ experiments: experiments.map(({ name, title, lesson, tags, file }) => ({ name, title, lesson, tags, file })) });
        return;
      }
      const width = Math.max(...experiments.map((e) => e.name.length));
      process.stdout.write(`${experiments.map((e) => `${e.name.padEnd(width)}  ${e.title}\n${' '.repeat(width)}  ${e.lesson}`).join('\n')}\n\nRun one with: faultline chaos run <name>\n`);
    });

  addStateDirOption(
    chaos
      .command('run <experiment>')
      .description('Run an experiment (a built-in name or a .yaml/.json file) on the running lab and write a report directory.')
      .option('--seed <n>', "the workload's seed (default: the experiment's, else a random one, printed in the report)", parseSeed)
      .option('--json', 'print one JSON line: {"report": "<path>/report.json", "verdict": "pass|fail|error", "reason": …}')
      .option('--junit <file>', 'also write the assertions as JUnit XML to this file')
      .addHelpText(
        'after',
        `
The run: steady-state hypothesis → method (workload, faults, waits, probes) → rollbacks → heal → quiet period →
hypothesis again → the store read from each shard's primary → checkers. The report directory is
<state dir>/runs/<time>-<name>/ with report.json, history.jsonl and report.html.

Faults are undone at the end, on Ctrl-C / SIGTERM, and — if this command is killed with SIGKILL — by the next
faultline command.

Exit codes: 0 pass, 1 an assertion or the hypothesis failed, 2 the experiment could not run (the reason is printed).

Examples:
  faultline chaos run kill-primary
  faultline chaos run partition-dcs --seed 7 --json
  faultline chaos run ./experiments/slow-link.yaml --junit reports/chaos.xml --state-dir /tmp/lab`,
      ),
  ).action(async (experiment: string, options: RunOptions) => {
    const printer = progressPrinter();
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals): void => {
      if (abort.signal.aborted) {
        printer.line(`faultline: still rolling back and healing (${signal} again ignored); a SIGKILL leaves the faults to the next faultline command`);
        return;
      }
      printer.line(`faultline: ${signal}: stopping the method, rolling back and healing every fault of the run…`);
      abort.abort(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let result: ChaosRunResult;
    try {
      result = await runChaosExperiment({
        paths: pathsOf(options),
        faultlineBin,
        experiment,
        ...(options.seed !== undefined && { seed: options.seed }),
        signal: abort.signal,
        onProgress: (p) => printer.update(p),
        onNotice: (m) => printer.line(`faultline: ${m}`),
      });
    } catch (error) {
      printer.done();
      if (options.json) printJson({ report: null, verdict: 'error', reason: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    printer.done();
    if (options.junit) writeFileSync(options.junit, renderJunitXml(result.report));
    if (options.json) printJson({ report: resolve(result.reportFile), verdict: result.report.verdict, reason: result.report.reason });
    else process.stdout.write(summary(result));
    if (result.report.verdict === 'error') process.stderr.write(`faultline: the experiment could not run to its end: ${result.report.reason}\n`);
    const signal = abort.signal.reason as NodeJS.Signals | undefined;
    process.exitCode = abort.signal.aborted ? (signal === 'SIGTERM' ? 143 : 130) : result.exitCode;
  });
}
