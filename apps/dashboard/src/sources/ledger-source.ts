import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FaultLedger, type FaultHistoryLine, type FaultRecord } from '#chaos';

/** The lab's fault ledger (chaos/src/ledger), read-only, and a cheap fingerprint to notice changes. */
export class LedgerSource {
  private readonly ledger: FaultLedger;

  constructor(private readonly stateRoot: string) {
    this.ledger = new FaultLedger(stateRoot);
  }

  read(): { active: FaultRecord[]; history: FaultHistoryLine[] } {
    return { active: this.active(), history: this.ledger.history() };
  }

  /** The faults in force now, without reading the history. */
  active(): FaultRecord[] {
    return this.ledger.list();
  }

  /** Changes whenever a fault is put, removed, or a history line is appended: the active files' names and the history's size. */
  fingerprint(): string {
    let active = '';
    try {
      active = readdirSync(join(this.stateRoot, 'faults', 'active')).sort().join(',');
    } catch {
      active = '-';
    }
    let size = -1;
    try {
      size = statSync(join(this.stateRoot, 'faults', 'history.jsonl')).size;
    } catch {
      size = -1;
    }
    return `${active}|${size}`;
  }
}
