import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { faultlineBin } from '../../support/faultline-cli.js';
import { startEchoServer, type EchoServer } from './support/echo-server.js';
import { apiAt } from './support/http.js';
import { connectError, TestClient } from './support/sockets.js';

// `faultline toxiproxy-server` as users run it: the built CLI (npm test builds it first) in a child
// process. FAULTLINE_CLI may name another entry point.

jest.setTimeout(20_000);

const cli = process.env.FAULTLINE_CLI || faultlineBin;

type ServerProcess = ChildProcessByStdio<null, Readable, Readable>;

interface Run {
  readonly child: ServerProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

const running: Run[] = [];

function runCli(args: string[]): Run {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { child, stdout: () => stdout, stderr: () => stderr, exited };
  running.push(run);
  return run;
}

/** Resolves with the URL from the ready line. */
function readyUrl(run: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = /^faultline toxiproxy-server listening on (http:\/\/\S+)\n/.exec(run.stdout());
      if (match) resolve(match[1]!);
    };
    run.child.stdout.on('data', check);
    run.exited.then((code) => reject(new Error(`exited ${code} before the ready line:\n${run.stdout()}${run.stderr()}`)));
    check();
  });
}

let echo: EchoServer;
let workdir: string;

beforeAll(async () => {
  echo = await startEchoServer();
  workdir = await mkdtemp(join(tmpdir(), 'faultline-cli-'));
});

afterEach(async () => {
  for (const run of running.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
});

afterAll(async () => {
  await echo.close();
  await rm(workdir, { recursive: true, force: true });
});

describe('faultline toxiproxy-server', () => {
  it('takes the real binary\'s flags, prints one ready line with the real port, and stops cleanly on SIGTERM', async () => {
    const run = runCli(['toxiproxy-server', '-host', '127.0.0.1', '-port', '0', '-proxy-metrics']);
    const url = await readyUrl(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    expect(run.stdout().split('\n').filter(Boolean)).toHaveLength(1);

    const api = apiAt(url);
    const created = await api.post('/proxies', { name: 'cli-echo', listen: '127.0.0.1:0', upstream: echo.address });
    expect(created.status).toBe(201);
    const port = Number(created.json.listen.split(':').pop());
    const client = await TestClient.open(port);
    await client.roundTrip('through the cli');

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await client.waitForOutcome();
    expect(await connectError(port)).toBe('ECONNREFUSED');
    expect(await connectError(Number(new URL(url).port))).toBe('ECONNREFUSED');
  });

  it('accepts --host/--port and -name=value, stops on SIGINT, and creates the -config proxies first', async () => {
    const config = join(workdir, 'proxies.json');
    await writeFile(config, JSON.stringify([{ name: 'from-config', listen: '127.0.0.1:0', upstream: echo.address }]));
    const run = runCli(['toxiproxy-server', '--host', '127.0.0.1', '--port=0', `-config=${config}`]);
    const url = await readyUrl(run);
    const shown = await apiAt(url).get('/proxies/from-config');
    expect(shown.json).toMatchObject({ name: 'from-config', enabled: true, upstream: echo.address });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it.each([
    [['-port', 'eighty'], /-port 8474/],
    [['-port', '70000'], /0 to 65535/],
    [['--host', ''], /-host 127\.0\.0\.1/],
    [['-seed', 'x'], /-seed 42/],
    [['-proxy-metrics=maybe'], /-proxy-metrics=true/],
  ])('refuses %j with a message saying what to type', async (flags, hint) => {
    const run = runCli(['toxiproxy-server', ...flags]);
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toMatch(hint);
    expect(run.stdout()).toBe('');
  });

  it('fails clearly on a missing -config file', async () => {
    const run = runCli(['toxiproxy-server', '-port', '0', '-config', join(workdir, 'absent.json')]);
    expect(await run.exited).not.toBe(0);
    expect(run.stderr()).toMatch(/absent\.json.*ENOENT/);
  });

  it('fails clearly when the port is taken', async () => {
    const first = runCli(['toxiproxy-server', '-port', '0']);
    const port = new URL(await readyUrl(first)).port;
    const second = runCli(['toxiproxy-server', '-port', port]);
    expect(await second.exited).not.toBe(0);
    expect(second.stderr()).toMatch(/in use.*-port/);
  });

  it('explains itself with --help', async () => {
    const run = runCli(['toxiproxy-server', '--help']);
    expect(await run.exited).toBe(0);
    for (const text of ['-host', '-port', '-config', '-proxy-metrics', 'SIGTERM', 'latency', '/events', '/metrics', 'Examples']) {
      expect(run.stdout()).toContain(text);
    }
  });
});
