import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { labStatus, restartComponent, runningLabState, type LabPaths, type LabStatus } from '#libs/lab';
import type { Topology } from '#libs/topology';
import type { CheckResult } from '../checkers/check-result.js';
import { checkLostJobs } from '../checkers/lost-jobs.checker.js';
import type { CheckerResults } from '../checkers/run-summary.js';
import type { ShardSnapshot } from '../checkers/store-snapshot.js';
import { resolveExperiment, type Experiment, type MethodStep, type Probe, type RollbackStep } from '../experiments/index.js';
import { FaultService } from '../faults/fault-service.js';
import { HistoryRecorder, monotonicClock } from '../history/history.recorder.js';
import { buildReport, faultWindowOf } from '../report/build-report.js';
import type { ChaosReport, ReportStep } from '../report/report.model.js';
import { runDirName, writeReportDir } from '../report/write-report.js';
import { DEFAULT_OPERATION_TIMEOUT_MS, Workload } from '../workload/workload.js';
import { describeTarget, resolveComponentTarget } from './component-target.js';
import { mapFault } from './fault-mapping.js';
import { assertedResults, runCheckers } from './judge-assertions.js';
import type { ProbeResult } from './probe-result.js';
import { runProbe, type ProbeContext } from './probes.js';
import { RunFaults } from './run-faults.js';
import { ExperimentCannotRunError, ExperimentUnsupportedError } from './run.errors.js';
import { sleep } from './sleep.js';
import { StopConditionMonitor, type StopConditionFired } from './stop-condition-monitor.js';
import { collectShard } from './store-collector.js';
import { unsupportedParts } from './unsupported-parts.js';
import { WRITE_WINDOW_NOTE, writeWindowsFromSamples } from './write-windows.js';
import { WriteWindowSampler } from './write-window-sampler.js';

/** What the progress line shows, about once a second. */
export interface RunProgress {
  readonly phase: string;
  readonly elapsedMs: number;
  /** Completed operations per second over the last few seconds. */
  readonly opsPerSecond: number;
  /** fail + info so far. */
  readonly errors: number;
  readonly completed: number;
  readonly activeFaults: number;
}

export interface ChaosRunOptions {
  readonly paths: LabPaths;
  readonly faultlineBin: string;
  /** A built-in experiment's name or a file. */
  readonly experiment: string;
  /** Overrides the experiment's workload seed. */
  readonly seed?: number;
  /** Ctrl-C / SIGTERM: the method stops, the rollbacks and the heal still run, the report is written. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
  /** One line for the user (a leftover fault healed, a fault that could not be healed on time). */
  readonly onNotice?: (message: string) => void;
  /** After the rollbacks, before the steady state is checked again and the store is read; default 5 s. */
  readonly quietPeriodMs?: number;
  readonly operationTimeoutMs?: number;
}

export interface ChaosRunResult {
  readonly report: ChaosReport;
  readonly dir: string;
  readonly reportFile: string;
  /** 0 pass, 1 an assertion or the hypothesis failed, 2 the experiment could not run to its end. */
  readonly exitCode: 0 | 1 | 2;
}

const DEFAULT_QUIET_PERIOD_MS = 5_000;
/** How long past the quiet period jobs may take to complete (noLostJobs), and how often the store is re-read meanwhile. */
const JOB_SETTLE_MS = 60_000;
const JOB_POLL_MS = 2_000;
const DEFAULT_WAIT_EVERY_MS = 1_000;
const PROGRESS_EVERY_MS = 1_000;
const RATE_WINDOW_TICKS = 5;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `shardForKey` lives in libs/shard-router, whose index also loads TypeORM: imported when a run starts, not with every CLI command. */
async function shardOfUser(topology: Topology): Promise<(userId: string) => number> {
  const { shardForKey } = await import('#libs/shard-router');
  const ids = topology.shards.map((s) => s.id).sort((a, b) => a - b);
  return (userId) => shardForKey(userId, ids);
}

/**
 * Runs an experiment against the running lab, start to end:
 * steady state → method (workload, faults, waits, probes; stop conditions checked each second) → rollbacks →
 * heal every fault of the run (always, also after an error or Ctrl-C) → quiet period → steady state again →
 * the store snapshot from each shard's primary → checkers → report directory
 * `<state dir>/runs/<time>-<name>/` (report.json, history.jsonl, report.html).
 *
 * Rejects (nothing run, no report) when the experiment is invalid or unsupported, or no lab runs; once the
 * run started, every outcome is a report (verdict error with the reason when it could not finish).
 */
export async function runChaosExperiment(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const state = runningLabState(options.paths);
  const topology = state.topology;
  const { name, file, experiment } = resolveExperiment(options.experiment, { topology });
  const unsupported = unsupportedParts(experiment);
  if (unsupported.length > 0) throw new ExperimentUnsupportedError(name, unsupported);
  return new ChaosRun(options, topology, name, file, experiment).run();
}

class ChaosRun {
  private readonly clock = monotonicClock();
  private readonly startedAtWallMs = Date.now();
  private readonly runId: string;
  private readonly recorder: HistoryRecorder;
  private readonly service: FaultService;
  private readonly faults: RunFaults;
  private readonly sampler: WriteWindowSampler;
  private readonly seed: number;
  private readonly notes: string[] = [WRITE_WINDOW_NOTE];
  private readonly steps: ReportStep[] = [];
  private readonly hypothesis: ProbeResult[] = [];
  private readonly probes: ProbeResult[] = [];
  private phase = 'starting';
  private workload: Workload | undefined;
  private entrypoint: string | null = null;
  private stoppedBy: StopConditionFired | null = null;
  /** Aborts the method: Ctrl-C, SIGTERM or a stop condition. */
  private readonly methodAbort = new AbortController();
  private completedHistory: number[] = [];
  private readonly stopConditions: StopConditionMonitor | undefined;

  constructor(
    private readonly options: ChaosRunOptions,
    private readonly topology: Topology,
    private readonly name: string,
    private readonly file: string,
    private readonly experiment: Experiment,
  ) {
    this.recorder = new HistoryRecorder(this.clock);
    this.runId = runDirName(this.startedAtWallMs, name);
    this.seed = options.seed ?? experiment.workload.seed ?? randomBytes(4).readUInt32BE(0) >>> 1;
    this.service = new FaultService({ paths: options.paths, faultlineBin: options.faultlineBin });
    this.faults = new RunFaults(this.service, this.runId, `faultline chaos run ${name}`, this.startedAtWallMs, (m) => this.notice(m));
    this.sampler = new WriteWindowSampler(topology, this.clock);
    this.stopConditions = experiment.stopConditions.length > 0 ? new StopConditionMonitor(experiment.stopConditions) : undefined;
    if (experiment.profile !== topology.name) this.notes.push(`The experiment is written for the "${experiment.profile}" profile; it ran on the lab "${topology.name}".`);
    options.signal?.addEventListener('abort', () => this.methodAbort.abort(), { once: true });
  }

  async run(): Promise<ChaosRunResult> {
    let error: string | undefined;
    let checkers: CheckerResults | undefined;
    let asserted: CheckResult[] = [];
    const ticker = setInterval(() => this.tick(), PROGRESS_EVERY_MS);
    let methodRan = false;
    try {
      for (const record of await this.service.healOrphans()) this.notice(`healed ${record.id} (${record.label}), left behind by a runner that is gone or expired`);
      this.setPhase('checking the steady state');
      const before = await this.checkHypothesis('before');
      if (before.some((p) => p.passed === false)) {
        throw new ExperimentCannotRunError(`the steady-state hypothesis does not hold before the method, so there is nothing to compare with: ${before.filter((p) => p.passed === false).map((p) => `${p.name}: ${JSON.stringify(p.observed)}${p.detail ? ` (${p.detail})` : ''}`).join('; ')}`);
      }
      this.sampler.start();
      methodRan = true;
      await this.runMethod();
    } catch (caught) {
      error = errorText(caught);
    } finally {
      if (methodRan) error = (await this.rollBack(error)) ?? error;
    }
    try {
      if (methodRan && this.options.signal?.aborted) error ??= 'interrupted (Ctrl-C or SIGTERM): the method was stopped, the faults healed';
      if (methodRan && error === undefined) {
        this.setPhase('quiet period');
        await sleep(this.options.quietPeriodMs ?? DEFAULT_QUIET_PERIOD_MS);
        this.setPhase('checking the steady state again');
        await this.checkHypothesis('after');
        this.setPhase('reading the store');
        let shards = await this.collectStore();
        if (this.experiment.assertions.some((a) => a.check === 'noLostJobs')) shards = await this.awaitJobs(shards);
        const samples = await this.sampler.stop();
        this.setPhase('checking');
        checkers = runCheckers({
          history: this.recorder.entries,
          snapshot: { shards, writeWindows: writeWindowsFromSamples(samples) },
          faults: this.faults.reports.map(faultWindowOf),
          assertions: this.experiment.assertions,
        });
        asserted = assertedResults(checkers, this.experiment.assertions);
      }
    } catch (caught) {
      error ??= errorText(caught);
    } finally {
      clearInterval(ticker);
      await this.sampler.stop();
    }
    return this.finish(checkers, asserted, error);
  }

  private notice(message: string): void {
    this.options.onNotice?.(message);
  }

  private setPhase(phase: string): void {
    this.phase = phase;
    this.tick(false);
  }

  /** Once a second: the progress line, and the stop conditions while the method runs. */
  private tick(periodic = true): void {
    const stats = this.workload?.stats();
    if (periodic) this.completedHistory = [...this.completedHistory, stats?.completed ?? 0].slice(-(RATE_WINDOW_TICKS + 1));
    const h = this.completedHistory;
    const opsPerSecond = h.length < 2 ? 0 : (h[h.length - 1]! - h[0]!) / ((h.length - 1) * (PROGRESS_EVERY_MS / 1000));
    this.options.onProgress?.({
      phase: this.phase,
      elapsedMs: this.clock(),
      opsPerSecond,
      errors: (stats?.fail ?? 0) + (stats?.info ?? 0),
      completed: stats?.completed ?? 0,
      activeFaults: this.faults.active,
    });
    if (periodic && this.workload?.active && !this.methodAbort.signal.aborted && this.stopConditions) {
      const fired = this.stopConditions.check(this.recorder.entries, this.clock());
      if (fired) {
        this.stoppedBy = fired;
        this.notice(`stop condition reached: ${fired.condition} (observed ${fired.observed}); stopping the method and rolling back`);
        this.methodAbort.abort();
      }
    }
  }

  private async status(): Promise<LabStatus> {
    const status = await labStatus({ paths: this.options.paths, faultlineBin: this.options.faultlineBin });
    this.entrypoint ??= status.entrypoint;
    return status;
  }

  private probeContext(): ProbeContext {
    return {
      topology: this.topology,
      entrypoint: this.entrypoint ?? '',
      status: () => this.status(),
      history: () => this.recorder.entries,
      now: () => this.clock(),
    };
  }

  private async checkHypothesis(when: 'before' | 'after'): Promise<ProbeResult[]> {
    const hypothesis = this.experiment.steadyStateHypothesis;
    if (!hypothesis) return [];
    if (!this.entrypoint) await this.status();
    const results: ProbeResult[] = [];
    for (const probe of hypothesis.probes) {
      const result = await runProbe(probe, this.probeContext());
      results.push({ ...result, name: `${when} the method: ${result.name}` });
    }
    this.hypothesis.push(...results);
    return results;
  }

  private async runMethod(): Promise<void> {
    const methodStart = this.clock();
    const abort = this.methodAbort.signal;
    for (const [index, step] of this.experiment.method.entries()) {
      const name = step.name ?? defaultStepName(step);
      if (abort.aborted) {
        const at = this.clock();
        this.steps.push({ phase: 'method', index, name, type: step.type, startedAt: at, endedAt: at, outcome: 'skipped', detail: this.stoppedBy ? 'stop condition reached' : 'interrupted' });
        continue;
      }
      this.setPhase(`method ${index + 1}/${this.experiment.method.length}: ${name}`);
      const startedAt = this.clock();
      let outcome: ReportStep['outcome'] = 'done';
      let detail: string | undefined;
      try {
        detail = await this.runMethodStep(step, methodStart, abort);
      } catch (error) {
        outcome = 'failed';
        detail = errorText(error);
        this.steps.push({ phase: 'method', index, name, type: step.type, startedAt, endedAt: this.clock(), outcome, detail });
        // A fault that cannot be injected (or a workload that cannot start) leaves nothing to learn: stop here.
        throw new ExperimentCannotRunError(`method step ${index + 1} (${name}) failed: ${detail}`, { cause: error });
      }
      if (detail?.startsWith('FAILED: ')) {
        outcome = 'failed';
        detail = detail.slice('FAILED: '.length);
      }
      this.steps.push({ phase: 'method', index, name, type: step.type, startedAt, endedAt: this.clock(), outcome, ...(detail !== undefined && { detail }) });
    }
  }

  /** Runs a step; returns a detail line ("FAILED: …" for a condition that did not hold: recorded, the method goes on). */
  private async runMethodStep(step: MethodStep, methodStart: number, abort: AbortSignal): Promise<string | undefined> {
    switch (step.type) {
      case 'workload':
        return step.action === 'start' ? this.startWorkload() : this.stopWorkload();
      case 'fault': {
        if (step.at !== undefined) await sleep(methodStart + step.at - this.clock(), abort);
        if (abort.aborted) return 'not injected: the method was stopped';
        const status = await this.status();
        const component = 'component' in step.fault ? resolveComponentTarget(step.fault.component, this.topology, status.components) : undefined;
        const mapped = mapFault(step.fault, this.topology, component);
        const fault = await this.faults.inject(mapped, step.duration);
        return `${fault.id}: ${fault.label}${step.duration !== undefined ? ` for ${step.duration / 1000}s` : ' until the rollbacks'}`;
      }
      case 'wait':
        return this.runWait(step, abort);
      case 'probe': {
        const result = await runProbe(step.probe, this.probeContext());
        this.probes.push(step.name ? { ...result, name: step.name } : result);
        const observed = `${JSON.stringify(result.observed)}${result.detail ? ` (${result.detail})` : ''}`;
        return result.passed === false ? `FAILED: ${observed}, expected ${result.expected}` : observed;
      }
    }
  }

  private async runWait(step: Extract<MethodStep | RollbackStep, { type: 'wait' }>, abort?: AbortSignal): Promise<string | undefined> {
    if (step.for !== undefined) {
      await sleep(step.for, abort);
      return abort?.aborted ? 'cut short: the method was stopped' : undefined;
    }
    const probe = step.until!;
    const deadline = this.clock() + step.timeout!;
    const started = this.clock();
    let last: ProbeResult | undefined;
    while (!abort?.aborted) {
      last = await runProbe(probe, this.probeContext());
      if (last.passed === true) return `held after ${((this.clock() - started) / 1000).toFixed(1)}s`;
      if (this.clock() >= deadline) break;
      await sleep(Math.min(step.every ?? DEFAULT_WAIT_EVERY_MS, deadline - this.clock()), abort);
    }
    if (abort?.aborted) return 'cut short: the method was stopped';
    const name = `${step.name ?? 'wait until'}: ${last?.name ?? probe.type}`;
    this.probes.push({ ...(last ?? { type: probe.type, observed: null, expected: '', at: this.clock() }), name, passed: false, detail: `did not hold within ${step.timeout! / 1000}s` });
    return `FAILED: did not hold within ${step.timeout! / 1000}s (last: ${JSON.stringify(last?.observed)})`;
  }

  private async startWorkload(): Promise<string | undefined> {
    if (this.workload?.active) return 'already running';
    const status = await this.status();
    if (!status.entrypoint) throw new ExperimentCannotRunError('the lab has no entrypoint to send the workload to');
    const spec = this.experiment.workload;
    this.workload = new Workload({
      entrypoint: status.entrypoint,
      clients: spec.clients,
      ratePerSecond: spec.ratePerSecond,
      mix: spec.mix,
      seed: this.seed,
      recorder: this.recorder,
      runTag: `${this.startedAtWallMs.toString(36)}${randomBytes(2).toString('hex')}`,
      regions: [...new Set(this.topology.dataCenters.map((dc) => dc.region))],
      shardOf: await shardOfUser(this.topology),
      timeoutMs: this.options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    });
    await this.workload.start();
    return `${spec.clients} clients at ${spec.ratePerSecond}/s, seed ${this.seed}`;
  }

  private async stopWorkload(): Promise<string | undefined> {
    if (!this.workload?.active) return 'not running';
    await this.workload.stop();
    const s = this.workload.stats();
    return `${s.completed} operations (ok ${s.ok}, fail ${s.fail}, info ${s.info})`;
  }

  /**
   * The rollbacks, always: stop the workload, run the experiment's rollback steps, then heal whatever of this run
   * is still active. Returns an error line when something could not be undone (the run's verdict is then error).
   */
  private async rollBack(methodError: string | undefined): Promise<string | undefined> {
    this.setPhase('rolling back');
    let problem: string | undefined;
    try {
      await this.workload?.stop();
    } catch (error) {
      problem ??= `stopping the workload: ${errorText(error)}`;
    }
    for (const [index, step] of this.experiment.rollbacks.entries()) {
      const name = step.name ?? defaultStepName(step);
      this.setPhase(`rollback ${index + 1}/${this.experiment.rollbacks.length}: ${name}`);
      const startedAt = this.clock();
      try {
        let detail = await this.runRollbackStep(step);
        let outcome: ReportStep['outcome'] = 'done';
        if (detail?.startsWith('FAILED: ')) {
          outcome = 'failed';
          detail = detail.slice('FAILED: '.length);
        }
        this.steps.push({ phase: 'rollback', index, name, type: step.type, startedAt, endedAt: this.clock(), outcome, ...(detail !== undefined && { detail }) });
      } catch (error) {
        // Every rollback runs, whatever the one before did.
        this.steps.push({ phase: 'rollback', index, name, type: step.type, startedAt, endedAt: this.clock(), outcome: 'failed', detail: errorText(error) });
        problem ??= `rollback step ${index + 1} (${name}) failed: ${errorText(error)}`;
      }
    }
    this.setPhase('healing every fault of the run');
    try {
      await this.faults.healAll();
    } catch (error) {
      problem ??= `could not heal every fault of the run (faultline fault list shows what is left): ${errorText(error)}`;
    }
    return methodError === undefined ? problem : undefined;
  }

  private async runRollbackStep(step: RollbackStep): Promise<string | undefined> {
    switch (step.type) {
      case 'heal': {
        const before = this.faults.active;
        await this.faults.healAll();
        return `${before} fault${before === 1 ? '' : 's'} healed`;
      }
      case 'start': {
        const status = await this.status();
        const id = resolveComponentTarget(step.component, this.topology, status.components);
        if (id === undefined) return `FAILED: no component is ${describeTarget(step.component)} now`;
        const { restarted } = await restartComponent(this.options.paths, id, { faultlineBin: this.options.faultlineBin });
        return restarted ? `${id} started` : `${id} was running`;
      }
      case 'wait':
        return this.runWait(step);
      case 'probe': {
        const result = await runProbe(step.probe, this.probeContext());
        this.probes.push(step.name ? { ...result, name: step.name } : result);
        return result.passed === false ? `FAILED: ${JSON.stringify(result.observed)}, expected ${result.expected}` : JSON.stringify(result.observed);
      }
    }
  }

  /** Each shard's rows, from the node the failover monitor reports as its primary now. */
  private async collectStore(): Promise<ShardSnapshot[]> {
    const status = await this.status();
    const withMedia = this.experiment.workload.mix.upload > 0;
    return Promise.all(
      this.topology.shards.map(async (shard) => {
        const id = resolveComponentTarget({ primaryOf: shard.id }, this.topology, status.components);
        if (id === undefined) throw new ExperimentCannotRunError(`shard ${shard.id} has no primary after the rollbacks: its store cannot be read for the checks`);
        const address = status.components.find((c) => c.id === id)!.address;
        return collectShard(shard.id, id, address, withMedia);
      }),
    );
  }

  /**
   * Jobs complete after the writes that caused them (a stalled job is handed out again only after BullMQ's stall
   * interval): re-reads the store until no job the run owes is missing, for up to JOB_SETTLE_MS, so that
   * noLostJobs judges "eventually", not "by the end of the quiet period".
   */
  private async awaitJobs(first: ShardSnapshot[]): Promise<ShardSnapshot[]> {
    const started = this.clock();
    let shards = first;
    for (;;) {
      const { lost } = checkLostJobs({ history: this.recorder.entries, snapshot: { shards, writeWindows: [] } }).observed;
      const waited = ((this.clock() - started) / 1000).toFixed(1);
      if (lost === 0) {
        if (shards !== first) this.notes.push(`noLostJobs: every job had completed ${waited}s after the quiet period (the store was re-read until then).`);
        return shards;
      }
      if (this.clock() - started >= JOB_SETTLE_MS) {
        this.notes.push(`noLostJobs: ${lost} job${lost === 1 ? '' : 's'} still missing after waiting ${waited}s past the quiet period.`);
        return shards;
      }
      this.setPhase(`waiting for ${lost} job${lost === 1 ? '' : 's'} to complete`);
      await sleep(JOB_POLL_MS);
      shards = await this.collectStore();
    }
  }

  private finish(checkers: CheckerResults | undefined, asserted: CheckResult[], error: string | undefined): ChaosRunResult {
    const history = this.recorder.entries;
    const spec = this.experiment.workload;
    const report = buildReport({
      runId: this.runId,
      name: this.name,
      file: this.file,
      experiment: this.experiment,
      startedAtMs: this.startedAtWallMs,
      endedAtMs: Date.now(),
      seed: this.seed,
      topology: this.topology.name,
      entrypoint: this.entrypoint,
      history,
      faults: this.faults.reports,
      ...(checkers && { checkers }),
      asserted,
      hypothesis: this.hypothesis,
      probes: this.probes,
      steps: this.steps,
      stoppedBy: this.stoppedBy,
      ...(error !== undefined && { error }),
      workload: {
        clients: spec.clients,
        ratePerSecond: spec.ratePerSecond,
        mix: spec.mix,
        operationTimeoutMs: this.options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
        missedTicks: this.workload?.stats().missedTicks ?? 0,
      },
      notes: [
        ...this.notes,
        'An operation is ok (it happened), fail (it certainly did not) or info (unknown: a timeout, a reset connection, a 5xx on a write). Info is never counted as a failure by the correctness checks.',
        `Recovery is measured per affected shard from the injection to the completion of the first ok write invoked after it.`,
      ],
    });
    const dir = join(this.options.paths.root, 'runs', this.runId);
    const reportFile = writeReportDir(dir, report, history);
    return { report, dir, reportFile, exitCode: report.verdict === 'pass' ? 0 : report.verdict === 'fail' ? 1 : 2 };
  }
}

function defaultStepName(step: MethodStep | RollbackStep): string {
  switch (step.type) {
    case 'workload':
      return `${step.action} the workload`;
    case 'fault':
      return `${step.fault.type} fault`;
    case 'wait':
      return step.for !== undefined ? `wait ${step.for / 1000}s` : `wait until ${probeName(step.until!)}`;
    case 'probe':
      return `probe ${probeName(step.probe)}`;
    case 'heal':
      return 'heal every fault of the run';
    case 'start':
      return `start ${describeTarget(step.component)}`;
  }
}

const probeName = (probe: Probe): string => probe.name ?? (probe.type === 'health' ? `${probe.component === undefined ? 'everything' : describeTarget(probe.component)} ${probe.expect}` : probe.type === 'sli' ? probe.sli : probe.type);
