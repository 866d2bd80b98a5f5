import { describe, expect, it } from '@jest/globals';
import type { FaultRecord } from '../ledger/fault-record.js';
import type { MappedFault } from './fault-mapping.js';
import { RunFaults, type RunFaultService } from './run-faults.js';

/** A fault service whose heals fail while `down` is set (a node that cannot start while the monitor is gone). */
class FlakyHealService implements RunFaultService {
  down = true;
  healAttempts = 0;
  private readonly records = new Map<string, FaultRecord>();

  async inject(spec: FaultRecord['spec'], options: { label: string; target: string; run?: string }): Promise<FaultRecord> {
    const record: FaultRecord = { id: `f${this.records.size + 1}`, spec, label: options.label, target: options.target, createdAt: new Date().toISOString(), ...(options.run && { run: options.run }) };
    this.records.set(record.id, record);
    return record;
  }

  async heal(id: string): Promise<FaultRecord> {
    this.healAttempts++;
    if (this.down) throw new Error('the monitor cannot be asked');
    const record = this.records.get(id)!;
    this.records.delete(id);
    return record;
  }

  list(): FaultRecord[] {
    return [...this.records.values()];
  }
}

const killShard: MappedFault = { spec: { kind: 'kill', component: 'shard0-1' }, label: 'kill shard0-1', target: 'primaryOf 0 (shard0-1)' };

const until = async (what: string, condition: () => boolean, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('RunFaults', () => {
  it('keeps trying a timed heal that failed until it succeeds, saying so each time', async () => {
    const service = new FlakyHealService();
    const notices: string[] = [];
    const faults = new RunFaults(service, 'run-1', 'test', Date.now(), (message) => notices.push(message), 10);
    await faults.inject(killShard, 10);
    await until('two failed heals', () => service.healAttempts >= 2);
    expect(faults.active).toBe(1);
    expect(notices[0]).toMatch(/^could not heal f1 \(kill shard0-1\) on time: the monitor cannot be asked; trying again in 0.01 s$/);

    service.down = false;
    await until('the heal', () => faults.active === 0);
    expect(faults.reports[0]!.healedAt).not.toBeNull();
    const attempts = service.healAttempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.healAttempts).toBe(attempts);
  });

  it('stops retrying on its own once healAll has taken over, which reports the failure', async () => {
    const service = new FlakyHealService();
    const notices: string[] = [];
    const faults = new RunFaults(service, 'run-1', 'test', Date.now(), (message) => notices.push(message), 10);
    await faults.inject(killShard, 10);
    await until('a failed heal', () => service.healAttempts >= 1);
    await expect(faults.healAll()).rejects.toThrow('the monitor cannot be asked');
    const attempts = service.healAttempts;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(service.healAttempts).toBe(attempts);
    expect(faults.active).toBe(1);
  });
});
