import { headers, type Msg, type NatsConnection, RequestError } from '@nats-io/transport-node';
import { localSubject, REQUEST_DEADLINE_HEADER } from '#libs/contracts';
import { defer, type Observable } from 'rxjs';
import type { ServiceTransport } from './service-client.js';

/** What a Nest NATS microservice answers a request with (see `ServerNats`): one message, disposed. */
interface NestReplyPacket {
  readonly id?: string;
  readonly response?: unknown;
  readonly err?: unknown;
}

/** An error a service's Nest layer answered with (no handler for the pattern, say) instead of a response. */
export class ServiceTransportError extends Error {
  constructor(
    readonly pattern: string,
    readonly reply: unknown,
  ) {
    super(`${pattern}: the service answered with an error: ${typeof reply === 'string' ? reply : JSON.stringify(reply)}`);
    this.name = 'ServiceTransportError';
  }
}

export interface NatsRequestTransportOptions {
  /**
   * How long one request may stay pending at most. The caller's own deadline (ServiceClient's attempt
   * timeout) should be shorter: this only bounds the memory of requests nobody waits for any more.
   */
  readonly timeoutMs: number;
  /**
   * The caller's data center: each request goes to `localSubject(dc, pattern)` first — an instance in this
   * DC — and to the plain pattern (an instance anywhere) only when none answers there. Without it, the plain
   * pattern always.
   */
  readonly dc?: string;
}

/**
 * Request-reply to Nest NATS microservices, wire-compatible with Nest's `ClientNats` (the same
 * `{ pattern, data, id }` packet on the pattern's subject, the same `{ id, response | err }` answer),
 * but over the NATS client's shared reply subscription: one wildcard inbox for the connection, a token
 * per request.
 *
 * Why not `ClientNats.send`: it subscribes to a fresh inbox for every request and unsubscribes after the
 * answer — SUB, PUB and UNSUB per request, and the NATS server rebuilding its subscription index
 * each time. On the gateway's hot path (every API call) that cost more than the call itself.
 *
 * Requests go to an instance in the caller's data center when there is one (`dc`, see `localSubject`).
 * A service that nobody serves fails at once (NATS answers "no responders"); the connection is
 * Nest's (`connect`), so reconnection and shutdown stay with `NatsClientModule`.
 */
export class NatsRequestTransport implements ServiceTransport {
  private readonly idPrefix = `${process.pid.toString(36)}.${Date.now().toString(36)}.`;
  private nextId = 0;

  constructor(
    private readonly connect: () => Promise<NatsConnection>,
    private readonly options: NatsRequestTransportOptions,
  ) {}

  send(pattern: string, data: unknown, deadline?: number): Observable<unknown> {
    return defer(async () => {
      const connection = await this.connect();
      const id = this.idPrefix + (this.nextId++).toString(36);
      const options = { timeout: this.options.timeoutMs, ...(deadline !== undefined && { headers: deadlineHeaders(deadline) }) };
      const packet = JSON.stringify({ pattern, data, id });
      const { dc } = this.options;
      let message: Msg;
      try {
        message = await connection.request(dc === undefined ? pattern : localSubject(dc, pattern), packet, options);
      } catch (error) {
        // Nobody serves it in this DC (dead, or not deployed here): NATS says so at once; ask every DC.
        if (dc === undefined || !(error instanceof RequestError && error.isNoResponders())) throw error;
        message = await connection.request(pattern, packet, options);
      }
      const reply = message.json<NestReplyPacket>();
      if (reply.err !== undefined && reply.err !== null) throw new ServiceTransportError(pattern, reply.err);
      return reply.response;
    });
  }
}

const deadlineHeaders = (deadline: number) => {
  const result = headers();
  result.set(REQUEST_DEADLINE_HEADER, String(Math.round(deadline)));
  return result;
};
