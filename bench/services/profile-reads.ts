import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { median } from './bench-stats.js';
import { closedLoop, openLoop, type LoadResult, type LoadTarget } from './http-load.js';

/**
 * Part (b): cached profile reads per second through the whole path — HAProxy → gateway (session in
 * Redis) → NATS → user service → Redis cache — on a `minimal` lab started for the run, against a bare
 * Fastify hello-world on the same machine with the same load generator. Then latency at half the
 * measured maximum, in an open loop.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
// dist/bench/services → the repository's bin/.
const faultlineBin = join(here, '..', '..', '..', 'bin', 'faultline.js');

export interface ProfileReadsOptions {
  readonly seconds: number;
  readonly repetitions: number;
  readonly connections: number;
  readonly sessions: number;
  readonly portBase: number;
}

export interface ProfileReadsResult {
  readonly repetitions: readonly { readonly hello: LoadResult; readonly profile: LoadResult; readonly ratio: number }[];
  readonly helloPerSecond: number;
  readonly profilePerSecond: number;
  readonly ratio: number;
  readonly halfLoad: LoadResult & { readonly targetPerSecond: number };
  readonly labUpSeconds: number;
}

function run(args: readonly string[], stateDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [faultlineBin, ...args, '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function startHelloWorld(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, 'hello-world.server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hello-world server exited with ${String(code)}`)));
  });
  return { url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/`, child };
}

async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function measureProfileReads(options: ProfileReadsOptions, log: (line: string) => void): Promise<ProfileReadsResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  chmodSync(stateDir, 0o755);
  const hello = await startHelloWorld();
  try {
    log(`(b) starting a minimal lab on ports ${options.portBase}+ …`);
    const up = await run(['up', '--profile', 'minimal', '--port-base', String(options.portBase), '--json'], stateDir);
    if (up.code !== 0) throw new Error(`faultline up failed (exit ${String(up.code)}):\n${up.stderr}`);
    const upResult = JSON.parse(up.stdout.trim().split('\n').at(-1)!) as { durationSeconds: number; entrypoint: string };
    const entrypoint = upResult.entrypoint.replace(/\/$/, '');
    log(`(b) lab up in ${upResult.durationSeconds.toFixed(1)} s; entrypoint ${entrypoint}`);

    // Several users with a session each: a real client population, and each stays under the per-client rate limit.
    const sessions: { userId: string; token: string }[] = [];
    for (let i = 0; i < options.sessions; i++) {
      const email = `bench-${i}-${Date.now()}@example.org`;
      const { id } = await api<{ id: string }>(entrypoint, 'POST', '/v1/users', { email, password: 'bench password', name: `Bench ${i}` });
      const { token } = await api<{ token: string }>(entrypoint, 'POST', '/v1/sessions', { email, password: 'bench password' });
      sessions.push({ userId: id, token });
    }
    // Each session reads another user's profile: an owner's own reads skip the cache after its writes.
    const target: LoadTarget = {
      url: `${entrypoint}/v1/users/${sessions[0]!.userId}`,
      headers: (index) => ({ authorization: `Bearer ${sessions[(index % (sessions.length - 1)) + 1]!.token}` }),
    };
    const helloTarget: LoadTarget = { url: hello.url };
    // Warm-up: caches filled, connections open, JIT.
    await closedLoop(target, options.connections, 2);
    await closedLoop(helloTarget, options.connections, 2);

    const repetitions: ProfileReadsResult['repetitions'][number][] = [];
    for (let r = 0; r < options.repetitions; r++) {
      const first = r % 2 === 0;
      const a = await closedLoop(first ? helloTarget : target, options.connections, options.seconds);
      const b = await closedLoop(first ? target : helloTarget, options.connections, options.seconds);
      const [helloResult, profileResult] = first ? [a, b] : [b, a];
      repetitions.push({ hello: helloResult, profile: profileResult, ratio: profileResult.perSecond / helloResult.perSecond });
      log(
        `  #${r + 1}: hello-world ${Math.round(helloResult.perSecond)}/s, cached profile reads ${Math.round(profileResult.perSecond)}/s (${(profileResult.perSecond / helloResult.perSecond).toFixed(2)}×, ${profileResult.errors} errors${profileResult.errors > 0 ? ` ${JSON.stringify(profileResult.failures)}` : ''})`,
      );
    }
    const profilePerSecond = median(repetitions.map((r) => r.profile.perSecond));
    const targetPerSecond = Math.max(1, Math.round(profilePerSecond / 2));
    log(`(b) open loop at half the maximum: ${targetPerSecond}/s for ${options.seconds} s …`);
    const halfLoad = { ...(await openLoop(target, targetPerSecond, options.seconds)), targetPerSecond };
    return {
      repetitions,
      helloPerSecond: median(repetitions.map((r) => r.hello.perSecond)),
      profilePerSecond,
      ratio: median(repetitions.map((r) => r.ratio)),
      halfLoad,
      labUpSeconds: upResult.durationSeconds,
    };
  } finally {
    hello.child.kill('SIGTERM');
    await run(['down', '--purge'], stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  }
}
