import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startFaultProxyServer } from '#libs/fault-proxy';
import type { BulkResult, LatencyResult, LoadCommand, LoadReady, LoadResponse, RoundTripResult } from './proxy-bench/protocol.js';
import { formatTable, median, percentile, type BenchResult } from './proxy-bench/report.js';

// npm run bench:proxy [-- --json] [-- --bulk-mb 512] [-- --repetitions 3] [-- --pin]
//
// Direct loopback versus through faultline's fault proxy with no toxics. This process runs only the
// proxy; the upstream servers and the load generator run in a child process, so on a two-core
// machine each gets a core and the proxy's cost is not hidden by, or added to, the load's.

const options = parseOptions(process.argv.slice(2));

function parseOptions(args: string[]): { json: boolean; bulkMb: number; repetitions: number; pin: boolean } {
  const valueOf = (flag: string, fallback: number): number => {
    const index = args.indexOf(flag);
    if (index < 0) return fallback;
    const value = Number(args[index + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive integer, e.g. ${flag} ${fallback}`);
    return value;
  };
  const bulkMb = valueOf('--bulk-mb', 512);
  if (bulkMb < 256) throw new Error('--bulk-mb must be at least 256 (the benchmark moves at least 256 MB per measurement)');
  return { json: args.includes('--json'), bulkMb, repetitions: valueOf('--repetitions', 3), pin: args.includes('--pin') };
}

/** The load process, driven by request/response over the IPC channel. */
class LoadProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: LoadResponse) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`load process: ${message.error}`));
      else waiter.resolve(message.result);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static start(): Promise<{ load: LoadProcess; ready: LoadReady }> {
    const entry = join(dirname(fileURLToPath(import.meta.url)), 'proxy-bench', 'load-process.js');
    const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', (message: LoadReady) => resolve({ load: new LoadProcess(child), ready: message }));
      child.once('exit', (code) => reject(new Error(`load process exited (${code}) before it was ready`)));
    });
  }

  run<T>(command: LoadCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.run({ kind: 'exit' }).catch(() => undefined);
    await exited;
  }
}

/** This process's garbage collector, so memory is compared after collection on both sides. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Memory after collecting garbage and letting the allocator hand pages back (lowest of a few looks). */
async function settledMemory(gc: () => void): Promise<{ rss: number; heapUsed: number }> {
  let rss = Infinity;
  let heapUsed = Infinity;
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const usage = process.memoryUsage();
    rss = Math.min(rss, usage.rss);
    heapUsed = Math.min(heapUsed, usage.heapUsed);
  }
  return { rss, heapUsed };
}

async function createProxy(apiUrl: string, name: string, upstreamPort: number): Promise<number> {
  const response = await fetch(`${apiUrl}/proxies`, {
    method: 'POST',
    body: JSON.stringify({ name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` }),
  });
  if (response.status !== 201) throw new Error(`creating proxy ${name}: ${response.status} ${await response.text()}`);
  const { listen } = (await response.json()) as { listen: string };
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

/**
 * The least any Node proxy can do: socket.pipe both ways, nothing else. Measured alongside as a
 * reference, so what is faultline's cost and what is Node's (and the machine's) can be told apart.
 */
async function startPipeProxy(upstreamPort: number): Promise<{ server: Server; port: number }> {
  const server = createServer({ noDelay: true }, (client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort, noDelay: true });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

async function main(): Promise<void> {
  const gc = collector();
  const server = await startFaultProxyServer({ host: '127.0.0.1', port: 0 });
  const { load, ready } = await LoadProcess.start();
  if (options.pin) {
    // One core each (Linux taskset), so neither process migrates onto the other's core.
    execFileSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-pc', '1', String(load.pid)], { stdio: 'ignore' });
  }
  try {
    const proxiedEcho = await createProxy(server.url, 'bench-echo', ready.echoPort);
    const proxiedSink = await createProxy(server.url, 'bench-sink', ready.sinkPort);
    const pipeEcho = await startPipeProxy(ready.echoPort);
    const pipeSink = await startPipeProxy(ready.sinkPort);
    const progress = (text: string): void => {
      if (!options.json) process.stderr.write(`${text}\n`);
    };

    // Idle memory first, before bulk transfers leave large buffers around. One open-and-close round
    // first, so heap spaces and pools that grow once for any 1,000 connections are not billed to them.
    const idleConnections = 1000;
    progress(`idle: holding ${idleConnections} proxied connections…`);
    await load.run({ kind: 'open-idle', port: proxiedEcho, connections: idleConnections });
    await load.run({ kind: 'close-idle' });
    const before = await settledMemory(gc);
    await load.run({ kind: 'open-idle', port: proxiedEcho, connections: idleConnections });
    const after = await settledMemory(gc);
    await load.run({ kind: 'close-idle' });
    const extraRssMb = (after.rss - before.rss) / 1024 / 1024;
    const extraHeapMb = (after.heapUsed - before.heapUsed) / 1024 / 1024;

    const bytes = options.bulkMb * 1024 * 1024;
    const series = () => ({ direct: [] as number[], proxied: [] as number[], pipeProxy: [] as number[] });
    const bulk = series();
    const trips = series();
    const p50 = series();
    const p99 = series();
    const busy = { bulk: [] as number[], roundTrips: [] as number[] };
    const loadBusy = series();
    const cpuShare = (since: NodeJS.CpuUsage, wallMs: number): number => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000 / wallMs;
    };
    for (let repetition = 1; repetition <= options.repetitions; repetition++) {
      progress(`repetition ${repetition}/${options.repetitions}: bulk…`);
      for (const [path, port] of [['direct', ready.sinkPort], ['proxied', proxiedSink], ['pipeProxy', pipeSink.port]] as const) {
        const cpu = process.cpuUsage();
        const { ms } = await load.run<BulkResult>({ kind: 'bulk', port, bytes });
        bulk[path].push(options.bulkMb / (ms / 1000));
        if (path === 'proxied') busy.bulk.push(cpuShare(cpu, ms));
      }
      progress(`repetition ${repetition}/${options.repetitions}: round trips…`);
      for (const [path, port] of [['direct', ready.echoPort], ['proxied', proxiedEcho], ['pipeProxy', pipeEcho.port]] as const) {
        const cpu = process.cpuUsage();
        const { roundTrips, ms, loadCpuBusy } = await load.run<RoundTripResult>({ kind: 'round-trips', port, connections: 32, durationMs: 2000, messageBytes: 64 });
        trips[path].push(roundTrips / (ms / 1000));
        loadBusy[path].push(loadCpuBusy);
        // The window is 2 s of a ~2.3 s run (warm-up included): close enough for a busy share.
        if (path === 'proxied') busy.roundTrips.push(cpuShare(cpu, ms + 300));
      }
      progress(`repetition ${repetition}/${options.repetitions}: latency…`);
      for (const [path, port] of [['direct', ready.echoPort], ['proxied', proxiedEcho], ['pipeProxy', pipeEcho.port]] as const) {
        const { samplesUs } = await load.run<LatencyResult>({ kind: 'latency', port, samples: 5000, messageBytes: 64 });
        p50[path].push(percentile(samplesUs, 50) / 1000);
        p99[path].push(percentile(samplesUs, 99) / 1000);
      }
    }

    const figures = (measured: ReturnType<typeof series>) => ({
      direct: median(measured.direct),
      proxied: median(measured.proxied),
      pipeProxy: median(measured.pipeProxy),
    });
    const bulkFigures = figures(bulk);
    const tripFigures = figures(trips);
    const p50Figures = figures(p50);
    const p99Figures = figures(p99);
    const result: BenchResult = {
      node: process.version,
      cpus: cpus().length,
      loadAverage: loadavg(),
      repetitions: options.repetitions,
      bulk: { ...bulkFigures, megabytes: options.bulkMb, ratio: bulkFigures.proxied / bulkFigures.direct, unit: 'MB/s' },
      roundTrips: { ...tripFigures, connections: 32, ratio: tripFigures.proxied / tripFigures.direct, unit: 'round trips/s' },
      latencyP50: { ...p50Figures, addedMs: p50Figures.proxied - p50Figures.direct, unit: 'ms' },
      latencyP99: { ...p99Figures, addedMs: p99Figures.proxied - p99Figures.direct, unit: 'ms' },
      proxyCpuBusy: { bulk: median(busy.bulk), roundTrips: median(busy.roundTrips) },
      loadCpuBusyDuringRoundTrips: figures(loadBusy),
      samples: { bulkMbPerSecond: bulk, roundTripsPerSecond: trips, latencyP50Ms: p50 },
      idle: { connections: idleConnections, extraRssMb, extraHeapMb, perConnectionKb: (extraRssMb * 1024) / idleConnections },
      goals: {
        bulkRatio: { goal: '≥ 0.5×', met: bulkFigures.proxied / bulkFigures.direct >= 0.5 },
        roundTripRatio: { goal: '≥ 0.6×', met: tripFigures.proxied / tripFigures.direct >= 0.6 },
        addedP50: { goal: '≤ +0.3 ms', met: p50Figures.proxied - p50Figures.direct <= 0.3 },
        idleRss: { goal: '≤ 50 MB', met: extraRssMb <= 50 },
      },
    };
    process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatTable(result)}\n`);
    pipeEcho.server.close();
    pipeSink.server.close();
  } finally {
    await load.stop();
    await server.close();
  }
}

await main();
