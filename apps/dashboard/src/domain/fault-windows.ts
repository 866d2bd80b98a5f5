import type { FaultHistoryLine, FaultRecord } from '#chaos';
import type { ActiveFault, FaultWindow } from './snapshot.model.js';

export const activeFaultOf = (r: FaultRecord): ActiveFault => ({
  id: r.id,
  kind: r.spec.kind,
  label: r.label,
  target: r.target,
  links: 'links' in r.spec ? r.spec.links : [],
  component: 'component' in r.spec ? r.spec.component : null,
  injectedAt: r.appliedAt ?? null,
  expiresAt: r.expiresAt ?? null,
  run: r.run ?? null,
});

/**
 * Fault windows from the ledger's history (`injected` … `healed` lines) and its active records: a fault
 * injected but not healed yet is open (`end` null). Windows that ended before `since` are left out.
 * Oldest first.
 */
export function faultWindows(history: readonly FaultHistoryLine[], active: readonly FaultRecord[], since: number): FaultWindow[] {
  const windows = new Map<string, { id: string; kind: string; label: string; start: number; end: number | null }>();
  for (const line of history) {
    const at = Date.parse(line.at);
    if (Number.isNaN(at)) continue;
    if (line.event === 'injected') windows.set(line.id, { id: line.id, kind: line.kind, label: line.label, start: at, end: null });
    else {
      const open = windows.get(line.id);
      if (open) open.end = at;
    }
  }
  // Applied but its history line not written yet (or the history was removed): open from when it took effect.
  for (const record of active) {
    if (windows.has(record.id) || !record.appliedAt) continue;
    windows.set(record.id, { id: record.id, kind: record.spec.kind, label: record.label, start: Date.parse(record.appliedAt), end: null });
  }
  // Open in the history but gone from the ledger: healed without a history line (a crash between the two
  // writes); when is unknown, so it is drawn as a mark where it began.
  const activeIds = new Set(active.map((r) => r.id));
  return [...windows.values()]
    .filter((w) => w.end === null || w.end >= since)
    .map((w) => (w.end === null && !activeIds.has(w.id) ? { ...w, end: w.start } : w))
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

/** Link name → ids of the active faults on it. */
export function faultedLinksOf(active: readonly FaultRecord[]): Map<string, string[]> {
  const byLink = new Map<string, string[]>();
  for (const record of active) {
    if (!('links' in record.spec)) continue;
    for (const link of record.spec.links) byLink.set(link, [...(byLink.get(link) ?? []), record.id]);
  }
  return byLink;
}
