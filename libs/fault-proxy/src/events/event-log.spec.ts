import { describe, expect, it } from '@jest/globals';
import { EventLog } from './event-log.js';

const proxyEvent = (proxy: string) => ({ type: 'proxy.created' as const, proxy, listen: 'l', upstream: 'u', enabled: true });

describe('EventLog', () => {
  it('numbers events from 1 with the clock\'s milliseconds', () => {
    let now = 1000;
    const log = new EventLog(10, () => now++);
    log.record(proxyEvent('a'));
    log.record(proxyEvent('b'));
    expect(log.since(0)).toEqual({
      events: [
        { id: 1, at: 1000, ...proxyEvent('a') },
        { id: 2, at: 1001, ...proxyEvent('b') },
      ],
      cursor: 2,
      latest: 2,
      missed: 0,
    });
    expect(log.since(2)).toEqual({ events: [], cursor: 2, latest: 2, missed: 0 });
  });

  it('keeps only the newest `capacity` events and says how many a slow reader missed', () => {
    const log = new EventLog(3);
    for (const name of ['a', 'b', 'c', 'd', 'e']) log.record(proxyEvent(name));
    const page = log.since(0);
    expect(page.events.map((e) => e.proxy)).toEqual(['c', 'd', 'e']);
    expect(page.missed).toBe(2);
    expect(log.since(3).missed).toBe(0);
  });

  it('pages with a limit', () => {
    const log = new EventLog(10);
    for (const name of ['a', 'b', 'c']) log.record(proxyEvent(name));
    const first = log.since(0, 2);
    expect(first.events.map((e) => e.id)).toEqual([1, 2]);
    expect(log.since(first.cursor, 2).events.map((e) => e.id)).toEqual([3]);
  });
});
