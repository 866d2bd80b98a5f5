import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { appNames, type AppName } from '#libs/config';
import { appEnv, closedEndpoints } from './support/app-under-test.js';
import { closedPort } from './support/services.js';

// The apps as the runner starts them: `node dist/apps/<app>/src/main.js`, built by `npm run build`.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const mainOf = (app: AppName) => join(root, 'dist/apps', app, 'src/main.js');
const built = appNames.every((app) => existsSync(mainOf(app)));
if (!built) console.warn('app processes: skipped: dist/ has no built apps; run `npm run build` first');
const describeBuilt = built ? describe : describe.skip;

interface Started {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// Whatever a failed test left running is killed; a passing test has seen its process exit.
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

function start(app: AppName, env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [mainOf(app)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: Record<string, unknown>[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const complete = stdout.split('\n');
    stdout = complete.pop()!;
    for (const line of complete) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stderr: () => stderr, exited };
}

/** Resolves with the first log line matching `predicate`, or fails when the process exits first. */
async function lineMatching(started: Started, predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = started.lines.find(predicate);
    if (line) return line;
    if (started.child.exitCode !== null) throw new Error(`exited with ${started.child.exitCode}: ${started.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms: ${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeBuilt('app processes from dist/', () => {
  // Most of each case (about 1.5 s) is Node loading Nest; running them concurrently gains nothing on 2 cores.
  it.each(appNames)(
    '%s starts with every dependency unreachable, logs one line per request, and exits 0 within 2 s of SIGTERM',
    async (app) => {
      const env = { ...process.env, ...appEnv(app, closedEndpoints(await closedPort())), FAULTLINE_LOG_LEVEL: 'info' };
      const started = start(app, env);

      const { url } = (await lineMatching(started, (line) => line['msg'] === 'listening')) as { url: string };
      expect((await fetch(`${url}/health/live`, { headers: { 'x-request-id': `proc-${app}` } })).status).toBe(200);
      expect((await fetch(`${url}/health`)).status).toBe(503);
      await lineMatching(started, (line) => line['reqId'] === `proc-${app}`);
      expect(started.lines.filter((line) => line['reqId'] === `proc-${app}`)).toEqual([
        expect.objectContaining({
          level: 'info',
          app,
          instance: `dc-t.${app}-1`,
          dc: 'dc-t',
          msg: 'request completed',
          method: 'GET',
          route: '/health/live',
          status: 200,
        }),
      ]);

      const signalled = Date.now();
      started.child.kill('SIGTERM');
      const exit = await started.exited;
      expect({ ...exit, withinDeadline: Date.now() - signalled < 2_000 }).toEqual({ code: 0, signal: null, withinDeadline: true });
    },
    15_000,
  );

  it('refuses a bad environment with exit code 78 and the variable named on stderr', async () => {
    const started = start('gateway', { ...process.env, ...appEnv('gateway', {}), FAULTLINE_HTTP_PORT: '99999' });

    const exit = await started.exited;

    expect(exit.code).toBe(78);
    expect(started.stderr()).toContain('FAULTLINE_HTTP_PORT: must be an integer between 0 and 65535');
    expect(started.stderr()).toContain('FAULTLINE_REDIS_URL: is required (the gateway service uses redis)');
  });
});
