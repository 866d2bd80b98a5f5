import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isFaultlineError } from '#libs/errors';
import { acquireLabLock, LabBusyError, waitForLabLock } from './lab-lock.js';
import { readStartTime } from './process-identity.js';

describe('the lab lock', () => {
  let root: string;
  let holder: ChildProcess | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'faultline-lock-'));
  });
  afterEach(() => {
    holder?.kill('SIGKILL');
    holder = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  /** The lock as another living faultline command holds it. */
  async function heldByAnotherProcess(what: string): Promise<number> {
    holder = spawn('sleep', ['600'], { stdio: 'ignore' });
    const pid = holder.pid!;
    while (readStartTime(pid) === undefined) await new Promise((resolve) => setImmediate(resolve));
    writeFileSync(join(root, 'lock'), JSON.stringify({ pid, startTime: readStartTime(pid), what }));
    return pid;
  }

  it('is refused at once, naming the holder, while another living command holds it', async () => {
    const pid = await heldByAnotherProcess('faultline up');
    expect(() => acquireLabLock(root, 'faultline down')).toThrow(`another faultline command (faultline up, pid ${pid}) is changing this lab`);
  });

  it('is taken over from a holder that died without releasing it', async () => {
    await heldByAnotherProcess('faultline up');
    holder!.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('exit', resolve));
    const release = acquireLabLock(root, 'faultline down');
    expect(JSON.parse(readFileSync(join(root, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, what: 'faultline down' });
    release();
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });

  it('can be waited for: the waiter is told who holds it once, and takes it when the holder lets go', async () => {
    const pid = await heldByAnotherProcess('restart shard0-1');
    const told: string[] = [];
    const waiting = waitForLabLock(root, 'faultline down', {
      timeoutMs: 10_000,
      pollMs: 10,
      onWait: (who) => {
        told.push(who);
        rmSync(join(root, 'lock'));
      },
    });
    const release = await waiting;
    expect(told).toEqual([`restart shard0-1, pid ${pid}`]);
    expect(JSON.parse(readFileSync(join(root, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, what: 'faultline down' });
    release();
  });

  it('gives up waiting after the timeout with a LAB_BUSY error naming the holder', async () => {
    const pid = await heldByAnotherProcess('faultline up');
    const error = await waitForLabLock(root, 'faultline down', { timeoutMs: 100, pollMs: 10 }).catch((e: unknown) => e);
    expect(isFaultlineError(error, 'LAB_BUSY')).toBe(true);
    expect((error as LabBusyError).holder).toBe(`faultline up, pid ${pid}`);
    expect((error as Error).message).toMatch(/\(waited 0 s\)$/);
  });
});
