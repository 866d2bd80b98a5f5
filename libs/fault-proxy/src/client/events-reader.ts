import type { Toxiproxy } from 'toxiproxy-node-client';
import type { EventsPage, FaultProxyEvent } from '../events/event-log.js';
import { callApi, statusOf } from './client-errors.js';

export type EventsRead =
  | { readonly supported: true; readonly events: FaultProxyEvent[]; readonly missed: number }
  /** The server has no /events (a real Toxiproxy answers 404): nothing to read, nothing failed. */
  | { readonly supported: false };

/**
 * Polls GET /events, each call returning only what happened since the previous one. Against a
 * real Toxiproxy it answers `{ supported: false }` instead of throwing.
 */
export class FaultProxyEventsReader {
  constructor(
    private readonly toxiproxy: Toxiproxy,
    private cursor = 0,
  ) {}

  /** The id of the last event read; a new reader can resume from it. */
  get position(): number {
    return this.cursor;
  }

  async read(): Promise<EventsRead> {
    const page = await this.fetchSince(this.cursor);
    if (page === undefined) return { supported: false };
    if (page.latest < this.cursor) {
      // The server restarted and numbers its events from 1 again: start over from its beginning.
      this.cursor = 0;
      return this.read();
    }
    this.cursor = page.cursor;
    return { supported: true, events: page.events, missed: page.missed };
  }

  private async fetchSince(since: number): Promise<EventsPage | undefined> {
    const url = `${this.toxiproxy.host}/events?since=${since}`;
    try {
      return (await this.toxiproxy.getApi().get<EventsPage>(url)).data;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      return callApi('read events', this.toxiproxy.host, () => Promise.reject(error));
    }
  }
}
