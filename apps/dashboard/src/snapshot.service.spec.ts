import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { labPaths } from '#libs/lab';
import { SnapshotService } from './snapshot.service.js';

describe('the dashboard snapshot service', () => {
  let root: string;
  let service: SnapshotService;
  let labReads: number;

  beforeEach(() => {
    jest.useFakeTimers();
    root = mkdtempSync(join(tmpdir(), 'faultline-snapshots-'));
    service = new SnapshotService({ paths: labPaths(root), faultlineBin: '/repo/bin/faultline.js', intervalMs: 1000 });
    labReads = 0;
    const read = service.lab.read.bind(service.lab);
    service.lab.read = () => {
      labReads += 1;
      return read();
    };
  });
  afterEach(() => {
    service.stop();
    jest.useRealTimers();
    rmSync(root, { recursive: true, force: true });
  });

  it('checks the lab about once a second while a page watches, and not at all while nobody does', async () => {
    service.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(labReads).toBe(0);

    const received: unknown[] = [];
    const unsubscribe = service.subscribe((snapshot) => received.push(snapshot));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(labReads).toBeGreaterThanOrEqual(4);
    expect(labReads).toBeLessThanOrEqual(6);
    expect(received.length).toBeGreaterThanOrEqual(4);

    unsubscribe();
    const readsWhenLeft = labReads;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(labReads).toBeLessThanOrEqual(readsWhenLeft + 1);
  });

  it('builds a fresh snapshot when asked after nobody watched for a while, and reuses one younger than the interval', async () => {
    service.start();
    await service.snapshot();
    expect(labReads).toBe(1);
    await service.snapshot();
    expect(labReads).toBe(1);
    await jest.advanceTimersByTimeAsync(3_000);
    await service.snapshot();
    expect(labReads).toBe(2);
  });

  it('tells the active faults from the ledger without checking the lab', () => {
    expect(service.activeFaults()).toEqual([]);
    expect(labReads).toBe(0);
  });
});
