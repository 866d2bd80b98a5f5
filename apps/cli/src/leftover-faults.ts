import { FaultService } from '#chaos';
import { faultlineBin, pathsOf, type LabCommandOptions } from './lab-options.js';

/**
 * Undoes faults nobody else will (their runner was killed, or their time is up) before a command looks at
 * or changes the lab: no fault outlives its experiment. Says what it healed on stderr; never fails the
 * command it runs before (a fault it cannot undo is reported, and stays in the ledger for the next try).
 */
export async function healLeftoverFaults(options: LabCommandOptions): Promise<void> {
  try {
    const healed = await new FaultService({ paths: pathsOf(options), faultlineBin }).healOrphans();
    for (const record of healed) process.stderr.write(`faultline: healed ${record.id} (${record.label}), left behind by a runner that is gone or expired\n`);
  } catch (error) {
    process.stderr.write(`faultline: could not heal a leftover fault: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/**
 * Before the lab stops: resume paused processes (a stopped process would not see SIGTERM), put asynchronous
 * shards back to synchronous replication (the monitor keeps that setting in the lab's data, so it would
 * outlive the lab), and close the ledger.
 */
export async function releaseFaultsForShutdown(options: LabCommandOptions): Promise<void> {
  const service = new FaultService({ paths: pathsOf(options), faultlineBin });
  for (const record of service.list()) {
    try {
      if (record.spec.kind === 'pause' || record.spec.kind === 'async-replication') await service.heal(record.id, 'user');
      else service.forget(record.id, 'lab stopped');
    } catch (error) {
      process.stderr.write(`faultline: could not release fault ${record.id}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}
