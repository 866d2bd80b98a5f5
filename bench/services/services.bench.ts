import { cpus, loadavg } from 'node:os';
import { createEventStoreDataSource, ensureEventStoreSchema, PostgresEventStore } from '#libs/event-store';
import { startPostgresServer, withFreshDatabase } from '../../test/support/postgres-server.js';
import { measureAppends, measurePlainInserts, PLAIN_TABLE_SQL, type BenchEvent, type Throughput } from './append-throughput.js';
import { formatColumns, grouped, median } from './bench-stats.js';
import { measureJobsThroughput } from './jobs-throughput.js';
import { measureProfileReads } from './profile-reads.js';

// npm run bench:services [-- --part a|b|c|all] [-- --json] [-- --seconds 5] [-- --repetitions 3] [-- --writers 16]
//                         [-- --connections 32] [-- --sessions 16] [-- --port-base 31000]
//                         [-- --jobs 20000] [-- --concurrency 50] [-- --producers 50]
//
// (a) event store appends vs plain INSERTs on one throwaway PostgreSQL 15 started for the run with real
// durability (fsync, synchronous_commit and full_page_writes on: every commit is flushed before it is
// acknowledged). Both workloads alternate on the same server, database, pool and driver; the ratio is
// the median of the per-repetition ratios. Goal: ≥ 0.5×.
//
// (b) cached profile reads through load balancer → gateway → NATS → user service → Redis on a minimal lab
// started for the run, versus a bare Fastify hello-world, same load generator, alternating. Goal: ≥ 0.35×,
// and p99 ≤ 20 ms in an open loop at half the measured maximum.
//
// (c) BullMQ jobs per second end to end (enqueue → completed, no-op processor, worker concurrency 50) on one
// throwaway redis-server, versus what that Redis allows: redis-benchmark's ops/s (EVALSHA replaying BullMQ's
// measured per-round-trip command mix; see jobs-throughput.ts) divided by the round trips one job needs
// (INFO commandstats before/after). Goal: ≥ 0.5×.

interface Options {
  readonly part: 'a' | 'b' | 'c' | 'all';
  readonly connections: number;
  readonly sessions: number;
  readonly portBase: number;
  readonly json: boolean;
  readonly seconds: number;
  readonly repetitions: number;
  readonly writers: number;
  readonly jobs: number;
  readonly concurrency: number;
  readonly producers: number;
}

function parseOptions(args: readonly string[]): Options {
  const valueOf = (flag: string, fallback: number): number => {
    const index = args.indexOf(flag);
    if (index < 0) return fallback;
    const value = Number(args[index + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer, e.g. ${flag} ${fallback}`);
    return value;
  };
  const partIndex = args.indexOf('--part');
  const part = partIndex < 0 ? 'all' : args[partIndex + 1];
  if (part !== 'a' && part !== 'b' && part !== 'c' && part !== 'all') throw new Error('--part needs a, b, c or all, e.g. --part b');
  return {
    part,
    json: args.includes('--json'),
    seconds: valueOf('--seconds', 5),
    repetitions: valueOf('--repetitions', 3),
    writers: valueOf('--writers', 16),
    connections: valueOf('--connections', 32),
    sessions: valueOf('--sessions', 16),
    portBase: valueOf('--port-base', 31000),
    jobs: valueOf('--jobs', 20_000),
    concurrency: valueOf('--concurrency', 50),
    producers: valueOf('--producers', 50),
  };
}

const READS_RATIO_GOAL = 0.35;
const HALF_LOAD_P99_GOAL_MS = 20;

const RATIO_GOAL = 0.5;

interface Repetition {
  readonly plain: Throughput;
  readonly appends: Throughput;
  readonly appendsWithKeys: Throughput;
  readonly ratio: number;
  readonly ratioWithKeys: number;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string): void => {
    if (!options.json) console.log(line);
  };
  const results: Record<string, unknown> = {};
  let met = true;
  if (options.part === 'a' || options.part === 'all') {
    const appends = await benchAppends(options, log);
    results.appends = appends;
    met &&= appends.goal.met;
  }
  if (options.part === 'b' || options.part === 'all') {
    const reads = await benchProfileReads(options, log);
    results.profileReads = reads;
    met &&= reads.goal.met;
  }
  if (options.part === 'c' || options.part === 'all') {
    const jobs = await benchJobs(options, log);
    results.jobs = jobs;
    met &&= jobs.goal.met;
  }
  if (options.json) {
    console.log(JSON.stringify(results, (_, value: unknown) => (typeof value === 'number' ? Math.round(value * 1000) / 1000 : value)));
  }
  if (!met) process.exitCode = 1;
}

const JOBS_RATIO_GOAL = 0.5;

async function benchJobs(options: Options, log: (line: string) => void) {
  log(`${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const measured = await measureJobsThroughput(
    { jobs: options.jobs, concurrency: options.concurrency, producers: options.producers, repetitions: options.repetitions, requests: 100_000 },
    log,
  );
  const goal = { ratio: `≥ ${JOBS_RATIO_GOAL}×`, met: measured.ratio >= JOBS_RATIO_GOAL };
  const rt = measured.roundTripsPerJob;
  log('');
  log(`round trips per job: ${rt.toFixed(3)} (${Object.entries(measured.commandsByName).filter(([name]) => /^(evalsha|eval|bzpopmin)/.test(name)).map(([name, n]) => `${name} ${n.toFixed(3)}`).join(', ')}); commands Redis ran per job, inside scripts included: ${measured.commandsPerJob.toFixed(1)}; Redis time per job ${measured.redisUsecPerJob.toFixed(1)} µs`);
  log(`Redis time per EVALSHA: BullMQ's scripts ${measured.bullmqUsecPerEvalsha.toFixed(1)} µs, the replay ${measured.redisBenchmark.usecPerCall.toFixed(1)} µs`);
  if (measured.unexpectedRequests.length > 0) log(`note: commands neither requests nor in BullMQ's scripts (counted as script commands): ${measured.unexpectedRequests.join(', ')}`);
  log(
    formatColumns([
      ['(medians)', 'per second', 'jobs/s allowed', 'ratio', 'p50 ms', 'p99 ms', 'goal'],
      ['redis-benchmark SET (trivial round trips)', grouped(measured.redisBenchmark.setPerSecond), grouped(measured.redisBenchmark.setPerSecond / rt), `${measured.ratioVsSet.toFixed(2)}×`, '', '', ''],
      [`redis-benchmark EVALSHA (BullMQ's mix, ${measured.redisBenchmark.commandsPerCall} cmds/call)`, grouped(measured.redisBenchmark.evalshaPerSecond), grouped(measured.allowedJobsPerSecond), '1.00×', '', '', ''],
      [
        `jobs end to end (concurrency ${options.concurrency})`,
        grouped(measured.jobsPerSecond),
        '',
        `${measured.ratio.toFixed(2)}×`,
        measured.p50Ms.toFixed(1),
        measured.p99Ms.toFixed(1),
        `≥ ${JOBS_RATIO_GOAL}× ${goal.met ? 'ok' : 'MISSED'}`,
      ],
    ]),
  );
  log('');
  return { benchmark: 'services (c): BullMQ jobs end to end vs what Redis allows', ...measured, goal };
}

async function benchProfileReads(options: Options, log: (line: string) => void) {
  log(`(b) ${options.connections} connections, ${options.sessions} sessions, ${options.seconds} s per measurement, ${options.repetitions} repetitions; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const measured = await measureProfileReads(options, log);
  const goal = {
    ratio: `≥ ${READS_RATIO_GOAL}×`,
    p99AtHalfLoad: `≤ ${HALF_LOAD_P99_GOAL_MS} ms`,
    met: measured.ratio >= READS_RATIO_GOAL && measured.halfLoad.p99Ms <= HALF_LOAD_P99_GOAL_MS,
  };
  log('');
  log(
    formatColumns([
      ['(medians)', 'per second', 'ratio', 'p50 ms', 'p99 ms', 'goal'],
      ['bare Fastify hello-world', grouped(measured.helloPerSecond), '1.00×', median(measured.repetitions.map((r) => r.hello.p50Ms)).toFixed(2), median(measured.repetitions.map((r) => r.hello.p99Ms)).toFixed(2), ''],
      [
        'cached profile read (LB→gateway→NATS→user→Redis)',
        grouped(measured.profilePerSecond),
        `${measured.ratio.toFixed(2)}×`,
        median(measured.repetitions.map((r) => r.profile.p50Ms)).toFixed(2),
        median(measured.repetitions.map((r) => r.profile.p99Ms)).toFixed(2),
        `≥ ${READS_RATIO_GOAL}× ${measured.ratio >= READS_RATIO_GOAL ? 'ok' : 'MISSED'}`,
      ],
      [
        `  open loop at ${grouped(measured.halfLoad.targetPerSecond)}/s (half)`,
        grouped(measured.halfLoad.perSecond),
        '',
        measured.halfLoad.p50Ms.toFixed(2),
        measured.halfLoad.p99Ms.toFixed(2),
        `p99 ≤ ${HALF_LOAD_P99_GOAL_MS} ms ${measured.halfLoad.p99Ms <= HALF_LOAD_P99_GOAL_MS ? 'ok' : 'MISSED'}`,
      ],
    ]),
  );
  return { benchmark: 'services (b): cached profile reads vs bare Fastify', ...measured, goal };
}

async function benchAppends(options: Options, log: (line: string) => void) {
  const server = await startPostgresServer({ durable: true, maxConnections: options.writers * 2 + 10 });
  try {
    const database = await withFreshDatabase(server, 'bench_services');
    const dataSource = await createEventStoreDataSource({ url: database.url, poolSize: options.writers, applicationName: 'bench-services' });
    const store = new PostgresEventStore<BenchEvent>(dataSource);
    try {
      await ensureEventStoreSchema(dataSource);
      await dataSource.query(PLAIN_TABLE_SQL);
      const settings = (await dataSource.query(
        `SELECT name, setting FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','wal_level','wal_sync_method','shared_buffers','commit_delay','server_version') ORDER BY name`,
      )) as { name: string; setting: string }[];
      log(`PostgreSQL started in ${grouped(server.startupMs)} ms; ${settings.map((s) => `${s.name}=${s.setting}`).join(' ')}`);
      log(`${options.writers} concurrent writers, ${options.seconds} s per measurement, ${options.repetitions} repetitions; ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

      // Warm-up: connections open, tables and indexes in memory, JIT of the append function's plans.
      await measurePlainInserts(dataSource, options.writers, 1, 'warm');
      await measureAppends(store, options.writers, 1, 'warm', false);

      const repetitions: Repetition[] = [];
      for (let r = 0; r < options.repetitions; r++) {
        // Alternate the order, so a drift in the machine's state does not favour one side.
        const run = `r${r}`;
        let plain: Throughput;
        let appends: Throughput;
        if (r % 2 === 0) {
          plain = await measurePlainInserts(dataSource, options.writers, options.seconds, run);
          appends = await measureAppends(store, options.writers, options.seconds, run, false);
        } else {
          appends = await measureAppends(store, options.writers, options.seconds, run, false);
          plain = await measurePlainInserts(dataSource, options.writers, options.seconds, run);
        }
        const appendsWithKeys = await measureAppends(store, options.writers, options.seconds, `${run}k`, true);
        const repetition = { plain, appends, appendsWithKeys, ratio: appends.perSecond / plain.perSecond, ratioWithKeys: appendsWithKeys.perSecond / plain.perSecond };
        repetitions.push(repetition);
        log(
          `  #${r + 1}: plain ${grouped(plain.perSecond)}/s, appends ${grouped(appends.perSecond)}/s (${repetition.ratio.toFixed(2)}×), with idempotency keys ${grouped(appendsWithKeys.perSecond)}/s (${repetition.ratioWithKeys.toFixed(2)}×)`,
        );
      }

      const ratio = median(repetitions.map((r) => r.ratio));
      const result = {
        benchmark: 'services (a): event store appends vs plain INSERTs',
        writers: options.writers,
        secondsPerMeasurement: options.seconds,
        postgres: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
        postgresStartupMs: Math.round(server.startupMs),
        repetitions,
        plainPerSecond: median(repetitions.map((r) => r.plain.perSecond)),
        appendsPerSecond: median(repetitions.map((r) => r.appends.perSecond)),
        appendsWithKeysPerSecond: median(repetitions.map((r) => r.appendsWithKeys.perSecond)),
        ratio,
        ratioWithKeys: median(repetitions.map((r) => r.ratioWithKeys)),
        goal: { ratio: `≥ ${RATIO_GOAL}×`, met: ratio >= RATIO_GOAL },
      };
      const last = (pick: (r: Repetition) => Throughput) => median(repetitions.map((r) => pick(r).p99Ms)).toFixed(2);
      const p50 = (pick: (r: Repetition) => Throughput) => median(repetitions.map((r) => pick(r).p50Ms)).toFixed(2);
      log('');
      log(
        formatColumns([
          ['(medians)', 'per second', 'ratio', 'p50 ms', 'p99 ms', 'goal'],
          ['plain single-row INSERT', grouped(result.plainPerSecond), '1.00×', p50((r) => r.plain), last((r) => r.plain), ''],
          [
            'append, expected version',
            grouped(result.appendsPerSecond),
            `${ratio.toFixed(2)}×`,
            p50((r) => r.appends),
            last((r) => r.appends),
            `≥ ${RATIO_GOAL}× ${result.goal.met ? 'ok' : 'MISSED'}`,
          ],
          ['  + idempotency key', grouped(result.appendsWithKeysPerSecond), `${result.ratioWithKeys.toFixed(2)}×`, p50((r) => r.appendsWithKeys), last((r) => r.appendsWithKeys), ''],
        ]),
      );
      log('');
      return result;
    } finally {
      await store.close();
      await dataSource.destroy();
      await database.drop();
    }
  } finally {
    await server.stop();
  }
}

await main();
