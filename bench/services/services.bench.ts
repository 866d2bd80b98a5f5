import { cpus, loadavg } from 'node:os';
import { createEventStoreDataSource, ensureEventStoreSchema, PostgresEventStore } from '#libs/event-store';
import { startPostgresServer, withFreshDatabase } from '../../test/support/postgres-server.js';
import { measureAppends, measurePlainInserts, PLAIN_TABLE_SQL, type BenchEvent, type Throughput } from './append-throughput.js';
import { formatColumns, grouped, median } from './bench-stats.js';

// npm run bench:services [-- --json] [-- --seconds 5] [-- --repetitions 3] [-- --writers 16]
//
// (a) event store appends vs plain INSERTs on one throwaway PostgreSQL 15 started for the run with real
// durability (fsync, synchronous_commit and full_page_writes on: every commit is flushed before it is
// acknowledged). Both workloads alternate on the same server, database, pool and driver; the ratio is
// the median of the per-repetition ratios. Goal: ≥ 0.5×.

interface Options {
  readonly json: boolean;
  readonly seconds: number;
  readonly repetitions: number;
  readonly writers: number;
}

function parseOptions(args: readonly string[]): Options {
  const valueOf = (flag: string, fallback: number): number => {
    const index = args.indexOf(flag);
    if (index < 0) return fallback;
    const value = Number(args[index + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer, e.g. ${flag} ${fallback}`);
    return value;
  };
  return { json: args.includes('--json'), seconds: valueOf('--seconds', 5), repetitions: valueOf('--repetitions', 3), writers: valueOf('--writers', 16) };
}

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
      if (options.json) {
        console.log(JSON.stringify(result, (_, value: unknown) => (typeof value === 'number' ? Math.round(value * 1000) / 1000 : value)));
        return;
      }
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
      if (!result.goal.met) process.exitCode = 1;
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
