import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * What the throwaway real servers of the tests (postgres, nats-server, redis-server) have in common: a
 * free port on 127.0.0.1, a child process whose log says when it accepts connections, and a stop that
 * signals that very process by its pid — never by name, so nobody else's servers (the lab's, a
 * developer's) are ever touched. Nothing here depends on jest, so benchmarks use it too.
 */

/** How many log lines a server keeps for error messages. */
const LOG_TAIL_LINES = 60;

/** A port the kernel just handed out on 127.0.0.1; the server binds it a moment later (see `onFreePort`). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `start(port)` on a free loopback port. Someone may take the port between the probe and the server's
 * bind, so a failure `retryable` accepts (by default any) is retried on another port, `attempts` times in all.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, retryable: (error: unknown) => boolean = () => true, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await start(port);
    } catch (error) {
      if (attempt < attempts && retryable(error)) continue;
      throw error;
    }
  }
}

export interface ChildServerSpec {
  /** The program's name, for messages. */
  readonly name: string;
  /** The program and its arguments. */
  readonly command: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** A line of its log (stdout or stderr) that says it accepts connections. */
  readonly readyLine: RegExp;
  /** Default 30 s. */
  readonly readyTimeoutMs?: number;
}

/** The server did not get ready; `log` holds its last lines (e.g. to tell a lost port race from a real failure). */
export class ChildServerStartError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(`${message}:\n${log}`);
    this.name = 'ChildServerStartError';
  }
}

export interface ChildServer {
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Whether the process has not exited yet. */
  isRunning(): boolean;
  /** Its last log lines. */
  logTail(): string;
  /**
   * Sends `signal` to this process (by pid), waits for it to exit, and SIGKILLs it if it has not after
   * `graceMs`. Nothing when it has exited already.
   */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

/**
 * Spawns the server and resolves once its log shows the ready line. When it exits first, cannot be
 * spawned, or takes too long, it is SIGKILLed and awaited, and this rejects with a ChildServerStartError.
 */
export async function startChildServer(spec: ChildServerSpec): Promise<ChildServer> {
  const timeoutMs = spec.readyTimeoutMs ?? 30_000;
  const [file, ...args] = spec.command;
  if (!file) throw new Error(`${spec.name}: empty command`);
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(spec.env && { env: spec.env }) });
  const lines: string[] = [];
  const logTail = (): string => lines.join('\n');
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  let markReady!: () => void;
  const readyLogged = new Promise<void>((resolve) => (markReady = resolve));
  let markExited!: () => void;
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  child.once('exit', () => markExited());

  // Both streams are drained for the server's whole life: a full pipe would block its logging.
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > LOG_TAIL_LINES) lines.shift();
        if (spec.readyLine.test(line)) markReady();
      }
    });
  }

  // One promise settled by whichever comes first: a later exit (on stop) then rejects nothing unobserved.
  const ready = new Promise<void>((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      reject(new ChildServerStartError(`${spec.name} ${message}`, logTail()));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    void readyLogged.then(() => {
      clearTimeout(timer);
      resolve();
    });
    void exited.then(() => fail(`exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)}) before it was ready`));
    child.on('error', (error) => {
      lines.push(`spawn error: ${error.message}`);
      // A process that never started emits no 'exit'.
      if (child.pid === undefined) markExited();
      fail('failed');
    });
  });

  try {
    await ready;
  } catch (error) {
    if (child.pid !== undefined && !hasExited()) child.kill('SIGKILL');
    await exited;
    throw error;
  }

  const pid = child.pid!;
  return {
    pid,
    exited,
    isRunning: () => !hasExited(),
    logTail,
    async stop(signal, graceMs) {
      if (hasExited()) return;
      process.kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
      clearTimeout(timer);
      if (late) {
        process.kill(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}
