import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { JobQueue, JobWorker } from '#libs/jobs';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { startRedisServer } from '../../test/support/redis-server.js';
import { median, percentile } from './bench-stats.js';

/**
 * Part (c) of the services benchmark: BullMQ jobs per second end to end (enqueue → completed, a no-op
 * processor, the worker at concurrency 50) through libs/jobs with the lab's settings, on one throwaway
 * redis-server, as a ratio to what that Redis allows: redis-benchmark's ops/s on the same server divided
 * by the Redis round trips one job needs.
 *
 * Round trips are counted from `INFO commandstats` before/after the run: the requests a client sends
 * (EVALSHA/EVAL, BZPOPMIN, …), as opposed to the commands BullMQ's Lua scripts run inside Redis, which
 * commandstats counts too. Both are reported.
 *
 * Which redis-benchmark ops/s? BullMQ's round trips are EVALSHA of scripts that each run about twenty
 * commands, not SET/GET: a SET-based ceiling would be one no queue doing this work in these round trips
 * could approach. So the goal's denominator is redis-benchmark running EVALSHA of a Lua script that
 * replays, per call, BullMQ's own per-round-trip command mix as measured in this very run (HMSET/HMGET
 * of a job hash, ZADD, XADD to an events stream, LPUSH/RPOPLPUSH/LREM between wait and active lists, …,
 * on keys shaped like a queue's). SET/GET ops/s and the ratio against them are printed as well, for context.
 */

const execFileAsync = promisify(execFile);

export interface JobsBenchOptions {
  readonly jobs: number;
  readonly concurrency: number;
  readonly producers: number;
  readonly repetitions: number;
  readonly requests: number;
}

export interface JobsRun {
  readonly jobs: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Client requests per job (EVALSHA, BZPOPMIN, …). */
  readonly roundTripsPerJob: number;
  /** Every command Redis executed per job, those inside scripts included. */
  readonly commandsPerJob: number;
  /** Redis' own time per job (µs): the requests' execution time from commandstats (scripts included), no network I/O. */
  readonly redisUsecPerJob: number;
}

export interface CommandStat {
  readonly calls: number;
  readonly usec: number;
}
export type CommandStats = Record<string, CommandStat>;

/** Commands a client sends as requests; everything else in commandstats ran inside a script. */
const REQUEST_COMMANDS = new Set(['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro', 'bzpopmin', 'bzpopmax', 'blmove', 'brpoplpush', 'client|setname', 'client|setinfo', 'ping', 'hello', 'select', 'script|load', 'quit']);
/** The benchmark's own INFO calls. */
const IGNORED_COMMANDS = new Set(['info', 'config|get', 'config|set', 'flushall', 'script|flush']);

async function commandStats(admin: Redis): Promise<CommandStats> {
  const text = await admin.info('commandstats');
  const stats: CommandStats = {};
  for (const line of text.split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (match) stats[match[1]!] = { calls: Number(match[2]), usec: Number(match[3]) };
  }
  return stats;
}

function delta(before: CommandStats, after: CommandStats): CommandStats {
  const result: CommandStats = {};
  for (const [name, stat] of Object.entries(after)) {
    if (IGNORED_COMMANDS.has(name)) continue;
    const calls = stat.calls - (before[name]?.calls ?? 0);
    if (calls > 0) result[name] = { calls, usec: stat.usec - (before[name]?.usec ?? 0) };
  }
  return result;
}

/** The command names BullMQ's Lua scripts call (for a sanity check of the request/inner split). */
function scriptVocabulary(): Set<string> {
  const scripts = createRequire(import.meta.url)('bullmq/dist/cjs/scripts/index.js') as Record<string, { content?: string }>;
  const names = new Set<string>();
  for (const script of Object.values(scripts)) {
    for (const match of (script.content ?? '').matchAll(/(?:rcall|redis\.call|redis\.pcall)\(\s*['"]([A-Za-z]+)['"]/g)) names.add(match[1]!.toLowerCase());
  }
  return names;
}

/** `jobs` no-op jobs through one queue and one worker; the throughput, latencies, and the Redis commands they took. */
async function runJobs(redisUrl: string, admin: Redis, tag: string, options: JobsBenchOptions): Promise<{ run: JobsRun; stats: CommandStats }> {
  const registry = new Registry();
  const name = `bench-${tag}`;
  const queue = new JobQueue<{ i: number }>({ name, redisUrl, registry });
  const worker = new JobWorker<{ i: number }, void>({ queue: name, redisUrl, registry, concurrency: options.concurrency, process: async () => undefined });
  const latencies: number[] = [];
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  worker.bull.on('completed', (job) => {
    latencies.push(Date.now() - job.timestamp);
    if (latencies.length === options.jobs) finished();
  });
  try {
    await Promise.all([worker.waitUntilReady(), queue.bull.waitUntilReady()]);
    const before = await commandStats(admin);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.producers }, async () => {
        while (next < options.jobs) {
          const i = next++;
          await queue.enqueue('noop', `${tag}-${i}`, { i });
        }
      }),
    );
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    const stats = delta(before, await commandStats(admin));
    latencies.sort((a, b) => a - b);
    const sum = (pick: (name: string, stat: CommandStat) => number) => Object.entries(stats).reduce((total, [n, s]) => total + pick(n, s), 0);
    return {
      stats,
      run: {
        jobs: options.jobs,
        seconds,
        perSecond: options.jobs / seconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        roundTripsPerJob: sum((n, s) => (REQUEST_COMMANDS.has(n) ? s.calls : 0)) / options.jobs,
        commandsPerJob: sum((_, s) => s.calls) / options.jobs,
        // A script's time includes its inner commands' (which commandstats lists again): requests only.
        redisUsecPerJob: sum((n, s) => (REQUEST_COMMANDS.has(n) ? s.usec : 0)) / options.jobs,
      },
    };
  } finally {
    await worker.close({ timeoutMs: 5_000 });
    await queue.close();
  }
}

/**
 * One Lua template per command BullMQ's scripts run, on queue-shaped keys: KEYS[1] a (random) job hash,
 * `q` the queue's key prefix, `n` a random number (ARGV[1]).
 */
const TEMPLATES: Record<string, string> = {
  xadd: `rcall('XADD', q..':events', 'MAXLEN', '~', 10000, '*', 'event', 'completed', 'jobId', j)`,
  xtrim: `rcall('XTRIM', q..':events', 'MAXLEN', '~', 10000)`,
  hmget: `rcall('HMGET', j, 'name', 'data', 'opts')`,
  hmset: `rcall('HMSET', j, 'name', 'noop', 'data', '{"i":1}', 'opts', '{"attempts":5}', 'timestamp', 1700000000000)`,
  hset: `rcall('HSET', j, 'finishedOn', 1700000000000)`,
  hget: `rcall('HGET', j, 'data')`,
  hgetall: `rcall('HGETALL', j)`,
  hincrby: `rcall('HINCRBY', j, 'atm', 1)`,
  hdel: `rcall('HDEL', j, 'defa')`,
  hexists: `rcall('HEXISTS', j, 'parentKey')`,
  zadd: `rcall('ZADD', q..':completed', n, j)`,
  zcard: `rcall('ZCARD', q..':completed')`,
  zremrangebyrank: `rcall('ZREMRANGEBYRANK', q..':completed', 0, -10001)`,
  zrangebyscore: `rcall('ZRANGEBYSCORE', q..':delayed', 0, n, 'LIMIT', 0, 1)`,
  zrevrangebyscore: `rcall('ZREVRANGEBYSCORE', q..':delayed', n, 0, 'LIMIT', 0, 1)`,
  zrevrange: `rcall('ZREVRANGE', q..':completed', 0, 0)`,
  zrange: `rcall('ZRANGE', q..':completed', 0, 0)`,
  zpopmin: `rcall('ZPOPMIN', q..':marker')`,
  zscore: `rcall('ZSCORE', q..':completed', j)`,
  zrem: `rcall('ZREM', q..':delayed', j)`,
  llen: `rcall('LLEN', q..':wait')`,
  exists: `rcall('EXISTS', j..':lock')`,
  set: `rcall('SET', j..':lock', 'token', 'PX', 30000)`,
  get: `rcall('GET', j..':lock')`,
  del: `rcall('DEL', j..':lock')`,
  incr: `rcall('INCR', q..':id')`,
  sadd: `rcall('SADD', q..':stalled', j)`,
  srem: `rcall('SREM', q..':stalled', j)`,
  scard: `rcall('SCARD', q..':stalled')`,
  smembers: `rcall('SMEMBERS', q..':stalled')`,
  pexpire: `rcall('PEXPIRE', j, 86400000)`,
};

/**
 * A job's way through the wait and active lists (LPUSH on add, RPOPLPUSH on fetch, LREM on finish),
 * played together so the lists stay as short as BullMQ keeps them: played apart, an LREM of an element
 * that is not there scans a list that only grows.
 */
const LIST_TRIO = ['lpush', 'rpoplpush', 'lrem'] as const;
const LIST_TRIO_LUA = `rcall('LPUSH', q..':wait', j); local v = rcall('RPOPLPUSH', q..':wait', q..':active') or j; rcall('LREM', q..':active', -1, v)`;

/**
 * A Lua script that runs, per call, `perCall` commands of BullMQ's measured mix (one job's worth of
 * commands inside scripts, spread over its round trips) and nothing else, starting at a random place in
 * the mix (ARGV[1], which also serves as a score). Commands without a template are played as a GET.
 */
export function replayScript(stats: CommandStats, roundTrips: number): { lua: string; perCall: number; unknown: string[] } {
  const inner = new Map(Object.entries(stats).filter(([name]) => !REQUEST_COMMANDS.has(name)).map(([name, stat]) => [name, stat.calls]));
  const totalInner = [...inner.values()].reduce((sum, calls) => sum + calls, 0);
  const perCall = Math.max(1, Math.round(totalInner / roundTrips));
  const trios = Math.min(...LIST_TRIO.map((name) => inner.get(name) ?? 0));
  for (const name of LIST_TRIO) inner.set(name, (inner.get(name) ?? 0) - trios);
  // A cycle of about 1000 commands in the measured proportions (a trio entry plays three), interleaved
  // by a prime stride.
  const cycle: string[] = [];
  const add = (name: string, calls: number) => {
    for (let k = 0; k < Math.round((calls / totalInner) * 1000); k++) cycle.push(name);
  };
  add('listtrio', trios);
  for (const [name, calls] of inner) if (calls > 0) add(name, calls);
  const ordered = cycle.map((_, k) => cycle[(k * 7919) % cycle.length]!);
  const unknown = [...new Set(cycle)].filter((name) => name !== 'listtrio' && !(name in TEMPLATES));
  // Each operation is one character of a constant string (no table built per call), dispatched by code.
  const names = ['listtrio', ...Object.keys(TEMPLATES)];
  const codeOf = (name: string): number => (names.includes(name) ? names.indexOf(name) : names.length);
  const ops = ordered.map((name) => String.fromCharCode(48 + codeOf(name))).join('');
  const lua = [
    'local rcall = redis.call',
    'local j = KEYS[1]',
    "local q = 'benchq'",
    'local n = tonumber(ARGV[1])',
    `local ops = '${ops}'`,
    'local k = n % #ops',
    `local budget = ${perCall}`,
    'while budget > 0 do',
    '  local op = string.byte(ops, (k % #ops) + 1) - 48',
    '  k = k + 1',
    // A trio that would overrun the call's budget is skipped: a call never runs more than its share.
    `  if op == 0 then if budget >= 3 then ${LIST_TRIO_LUA}; budget = budget - 3 end`,
    ...Object.values(TEMPLATES).map((body, index) => `  elseif op == ${index + 1} then ${body}; budget = budget - 1`),
    `  else rcall('GET', j..':lock'); budget = budget - 1 end`,
    'end',
    'return n',
  ].join('\n');
  return { lua, perCall, unknown };
}

async function redisBenchmark(port: number, requests: number, args: readonly string[]): Promise<Record<string, number>> {
  const { stdout } = await execFileAsync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-q', '--csv', '-n', String(requests), '-P', '1', '-c', '50', ...args], {
    maxBuffer: 1 << 20,
  });
  const result: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const match = /^"([^"]+)","([0-9.]+)"/.exec(line);
    if (match) result[match[1]!] = Number(match[2]);
  }
  return result;
}

export interface JobsThroughput {
  readonly repetitions: readonly JobsRun[];
  readonly jobsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly roundTripsPerJob: number;
  readonly commandsPerJob: number;
  readonly redisUsecPerJob: number;
  /** Per job, median over repetitions: calls of each command (requests and inside scripts). */
  readonly commandsByName: Readonly<Record<string, number>>;
  readonly redisBenchmark: {
    readonly setPerSecond: number;
    readonly getPerSecond: number;
    /** EVALSHA of the replay script (BullMQ's measured mix, `commandsPerCall` commands a call). */
    readonly evalshaPerSecond: number;
    readonly commandsPerCall: number;
    /** Redis' time per replay call (commandstats). */
    readonly usecPerCall: number;
  };
  /** Redis' time per EVALSHA of BullMQ's own scripts during the job runs: above the replay's = the denominator favours Redis. */
  readonly bullmqUsecPerEvalsha: number;
  /** evalshaPerSecond ÷ roundTripsPerJob: jobs per second if Redis' time went to BullMQ-shaped round trips only. */
  readonly allowedJobsPerSecond: number;
  readonly ratio: number;
  /** Against SET's ops/s instead (trivial round trips): for context. */
  readonly ratioVsSet: number;
  readonly unexpectedRequests: readonly string[];
}

export async function measureJobsThroughput(options: JobsBenchOptions, log: (line: string) => void): Promise<JobsThroughput> {
  const redis = await startRedisServer();
  const admin = new Redis(redis.url);
  try {
    const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1];
    log(`(c) redis-server ${version} on 127.0.0.1:${redis.port}; ${options.jobs} jobs per run, worker concurrency ${options.concurrency}, ${options.producers} producers, ${options.repetitions} repetitions`);
    await runJobs(redis.url, admin, 'warm', { ...options, jobs: Math.min(options.jobs, 3_000) });
    const runs: JobsRun[] = [];
    const allStats: CommandStats[] = [];
    for (let r = 0; r < options.repetitions; r++) {
      const { run, stats } = await runJobs(redis.url, admin, `r${r}`, options);
      runs.push(run);
      allStats.push(stats);
      log(
        `  #${r + 1}: ${Math.round(run.perSecond)} jobs/s, p50 ${run.p50Ms.toFixed(1)} ms, p99 ${run.p99Ms.toFixed(1)} ms; ${run.roundTripsPerJob.toFixed(3)} round trips and ${run.commandsPerJob.toFixed(1)} commands per job, ${run.redisUsecPerJob.toFixed(1)} µs of Redis time per job`,
      );
    }
    const roundTripsPerJob = median(runs.map((run) => run.roundTripsPerJob));
    const names = [...new Set(allStats.flatMap((stats) => Object.keys(stats)))].sort();
    const commandsByName = Object.fromEntries(names.map((name) => [name, median(allStats.map((stats, r) => (stats[name]?.calls ?? 0) / runs[r]!.jobs))]));
    const vocabulary = scriptVocabulary();
    const unexpectedRequests = names.filter((name) => !REQUEST_COMMANDS.has(name) && !vocabulary.has(name));

    // Same server, a clean keyspace.
    await admin.flushall();
    const plain = await redisBenchmark(redis.port, options.requests, ['-t', 'set,get']);
    const medianStats: CommandStats = Object.fromEntries(names.map((name) => [name, { calls: commandsByName[name]!, usec: 0 }]));
    const replay = replayScript(medianStats, roundTripsPerJob);
    if (replay.unknown.length > 0) log(`note: played as a GET in the replay script (no template): ${replay.unknown.join(', ')}`);
    const sha = (await admin.script('LOAD', replay.lua)) as string;
    const beforeReplay = await commandStats(admin);
    const scripted = await redisBenchmark(redis.port, options.requests, ['-r', '100000', 'EVALSHA', sha, '1', 'benchq:job:__rand_int__', '__rand_int__']);
    const replayed = delta(beforeReplay, await commandStats(admin)).evalsha;
    const evalshaPerSecond = Object.values(scripted)[0] ?? Number.NaN;
    await admin.flushall();

    const jobsPerSecond = median(runs.map((run) => run.perSecond));
    const allowedJobsPerSecond = evalshaPerSecond / roundTripsPerJob;
    return {
      repetitions: runs,
      jobsPerSecond,
      p50Ms: median(runs.map((run) => run.p50Ms)),
      p99Ms: median(runs.map((run) => run.p99Ms)),
      roundTripsPerJob,
      commandsPerJob: median(runs.map((run) => run.commandsPerJob)),
      redisUsecPerJob: median(runs.map((run) => run.redisUsecPerJob)),
      commandsByName,
      redisBenchmark: {
        setPerSecond: plain.SET ?? Number.NaN,
        getPerSecond: plain.GET ?? Number.NaN,
        evalshaPerSecond,
        commandsPerCall: replay.perCall,
        usecPerCall: replayed ? replayed.usec / replayed.calls : Number.NaN,
      },
      bullmqUsecPerEvalsha: median(allStats.map((stats) => (stats.evalsha ? stats.evalsha.usec / stats.evalsha.calls : Number.NaN))),
      allowedJobsPerSecond,
      ratio: jobsPerSecond / allowedJobsPerSecond,
      ratioVsSet: jobsPerSecond / ((plain.SET ?? Number.NaN) / roundTripsPerJob),
      unexpectedRequests,
    };
  } finally {
    admin.disconnect();
    await redis.stop();
  }
}
