import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { FaultlineError } from '#libs/errors';
import { asUser } from './as-user.js';

export interface RunOptions {
  readonly user?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Append the command line and its output to this file. */
  readonly logFile?: string;
  readonly timeoutMs?: number;
  /** Exit codes that count as success (default: 0 only). */
  readonly okCodes?: readonly number[];
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type RunCommand = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export class CommandFailedError extends FaultlineError<'COMMAND_FAILED'> {
  readonly code = 'COMMAND_FAILED' as const;

  constructor(
    readonly commandLine: string,
    readonly exitCode: number | null,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    const tail = output.trim().split('\n').slice(-15).join('\n');
    super(`\`${commandLine}\` ${exitCode === null ? 'was killed or timed out' : `exited with ${exitCode}`}${tail ? `:\n${tail}` : ''}`, options);
  }
}

export const runCommand: RunCommand = (command, args, options = {}) => {
  const wrapped = asUser(options.user, command, args);
  const commandLine = [command, ...args].join(' ');
  if (options.logFile) appendFileSync(options.logFile, `$ ${commandLine}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(wrapped.command, wrapped.args, {
      cwd: options.cwd,
      env: options.env ? { ...options.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (cause) => reject(new CommandFailedError(commandLine, null, cause.message, { cause })));
    child.on('close', (code) => {
      if (options.logFile) appendFileSync(options.logFile, stdout + stderr);
      if (code !== null && (options.okCodes ?? [0]).includes(code)) resolve({ code, stdout, stderr });
      else reject(new CommandFailedError(commandLine, code, stdout + stderr));
    });
  });
};
