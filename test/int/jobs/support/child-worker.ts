import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const loader = fileURLToPath(new URL('./ts-loader.mjs', import.meta.url));
const script = fileURLToPath(new URL('./hanging-worker.child.ts', import.meta.url));

export interface ChildMessage {
  readonly pid: number;
  readonly event: string;
  readonly jobId?: string;
}

/** The hanging worker (hanging-worker.child.ts) in a process of its own, to be SIGKILLed by its pid. */
export interface ChildWorker {
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first message matching `predicate`; rejects if the process exits first or after `timeoutMs`. */
  message(predicate: (message: ChildMessage) => boolean, timeoutMs?: number): Promise<ChildMessage>;
  /** SIGKILL by pid; resolves once the process is gone. */
  kill(): Promise<void>;
}

export function startChildWorker(env: { redisUrl: string; queue: string; effectsKey: string }): ChildWorker {
  const child: ChildProcess = spawn(process.execPath, ['--import', loader, script], {
    // Not jest's --experimental-vm-modules: a plain Node process.
    env: { ...process.env, NODE_OPTIONS: '', JOBS_REDIS_URL: env.redisUrl, JOBS_QUEUE: env.queue, JOBS_EFFECTS_KEY: env.effectsKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid!;
  const messages: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) messages.push(JSON.parse(line) as ChildMessage);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => {
    for (const wake of waiters) wake();
  });
  return {
    pid,
    exited,
    message: (predicate, timeoutMs = 30_000) =>
      new Promise<ChildMessage>((resolve, reject) => {
        const timer = setTimeout(() => settle(new Error(`child ${pid}: no such message within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
        const settle = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
        };
        const check = () => {
          const found = messages.find(predicate);
          if (found) {
            settle();
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            settle(new Error(`child ${pid} exited (${child.exitCode ?? child.signalCode}) before the message; stderr:\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
      await exited;
    },
  };
}
