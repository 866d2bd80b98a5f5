import { describe, expect, it } from '@jest/globals';
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { EventsPage } from '../events/event-log.js';
import { FaultProxyEventsReader } from './events-reader.js';

/** A stand-in for toxiproxy-node-client's Toxiproxy that answers GET /events from a script. */
function scriptedToxiproxy(answer: (since: number) => EventsPage | Error): { toxiproxy: Toxiproxy; asked: number[] } {
  const asked: number[] = [];
  const toxiproxy = {
    host: 'http://127.0.0.1:1',
    getApi: () => ({
      get: async (url: string) => {
        const since = Number(new URL(url).searchParams.get('since'));
        asked.push(since);
        const result = answer(since);
        if (result instanceof Error) throw result;
        return { data: result };
      },
    }),
  } as unknown as Toxiproxy;
  return { toxiproxy, asked };
}

const event = (id: number) => ({ id, at: id, type: 'proxy.created' as const, proxy: 'p', listen: 'l', upstream: 'u', enabled: true });

describe('FaultProxyEventsReader', () => {
  it('moves its cursor so each read returns only new events', async () => {
    const { toxiproxy, asked } = scriptedToxiproxy((since) =>
      since === 0 ? { events: [event(1), event(2)], cursor: 2, latest: 2, missed: 0 } : { events: [], cursor: since, latest: 2, missed: 0 },
    );
    const reader = new FaultProxyEventsReader(toxiproxy);
    expect(await reader.read()).toEqual({ supported: true, events: [event(1), event(2)], missed: 0 });
    expect(await reader.read()).toEqual({ supported: true, events: [], missed: 0 });
    expect(asked).toEqual([0, 2]);
  });

  it('starts over when the server restarted (its latest id is below the cursor)', async () => {
    const { toxiproxy, asked } = scriptedToxiproxy((since) =>
      since === 0 ? { events: [event(1)], cursor: 1, latest: 1, missed: 0 } : { events: [], cursor: since, latest: 1, missed: 0 },
    );
    const reader = new FaultProxyEventsReader(toxiproxy, 40);
    expect(await reader.read()).toEqual({ supported: true, events: [event(1)], missed: 0 });
    expect(asked).toEqual([40, 0]);
    expect(reader.position).toBe(1);
  });

  it('answers unsupported on 404 (a real Toxiproxy)', async () => {
    const { toxiproxy } = scriptedToxiproxy(() => new Error('Request failed with status code 404'));
    expect(await new FaultProxyEventsReader(toxiproxy).read()).toEqual({ supported: false });
  });

  it('throws other failures with their status', async () => {
    const { toxiproxy } = scriptedToxiproxy(() => new Error('Request failed with status code 500'));
    await expect(new FaultProxyEventsReader(toxiproxy).read()).rejects.toMatchObject({ code: 'FAULT_PROXY_REQUEST_FAILED', status: 500 });
  });
});
