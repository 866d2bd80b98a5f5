import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { NEVER, of, throwError, type Observable } from 'rxjs';
import { isCircuitOpenError, isServiceUnavailableError } from '../http/api.errors.js';
import { ServiceCallMetrics } from './service-call.metrics.js';
import { ServiceClient, type ServiceTransport } from './service-client.js';

/** A transport whose answers are scripted per request: the NATS behaviour is covered by test/int/gateway. */
class ScriptedTransport implements ServiceTransport {
  sent = 0;
  readonly deadlines: (number | undefined)[] = [];
  constructor(private readonly answers: readonly (() => Observable<unknown>)[]) {}
  send(_pattern: string, _data: unknown, deadline?: number): Observable<unknown> {
    const answer = this.answers[Math.min(this.sent, this.answers.length - 1)]!;
    this.sent++;
    this.deadlines.push(deadline);
    return answer();
  }
}

const client = (transport: ServiceTransport, failureThreshold = 1) =>
  new ServiceClient(transport, new ServiceCallMetrics(new Registry()), { attemptTimeoutMs: 20, maxAttempts: 2, failureThreshold, openMs: 60_000 });

describe('ServiceClient and its circuit breaker', () => {
  it('refuses with CIRCUIT_OPEN, without sending, while the circuit is open', async () => {
    const transport = new ScriptedTransport([() => throwError(() => new Error('no responders'))]);
    const calls = client(transport);
    await calls.call('user.get', {}).catch(() => undefined);
    const sentBefore = transport.sent;
    const refused = await calls.call('user.update', {}).catch((error: unknown) => error);
    expect(isCircuitOpenError(refused) && { code: refused.code, service: refused.service, retryAfterSeconds: refused.retryAfterSeconds }).toEqual({
      code: 'CIRCUIT_OPEN',
      service: 'user',
      retryAfterSeconds: 60,
    });
    expect(transport.sent).toBe(sentBefore);
  });

  it('answers SERVICE_UNAVAILABLE, not CIRCUIT_OPEN, when the circuit opens after an attempt went out', async () => {
    // The first attempt times out (it may have been applied); it opens the circuit, which then refuses the retry.
    const transport = new ScriptedTransport([() => NEVER, () => of({ ok: true, value: 1 })]);
    const error = await client(transport).call('user.update', {}).catch((caught: unknown) => caught);
    expect(transport.sent).toBe(1);
    expect(isCircuitOpenError(error)).toBe(false);
    expect(isServiceUnavailableError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
  });

  it("returns the reply's value once the service answers", async () => {
    await expect(client(new ScriptedTransport([() => of({ ok: true, value: 7 })])).call('user.get', {})).resolves.toBe(7);
  });
});

describe("ServiceClient and the services' deadlines", () => {
  it("sends each attempt with its own deadline: when this attempt's timeout ends", async () => {
    const transport = new ScriptedTransport([() => NEVER, () => of({ ok: true, value: 1 })]);
    const before = Date.now();
    await client(transport, 5).call('user.get', {});
    const [first, second] = transport.deadlines;
    expect(first).toBeGreaterThanOrEqual(before + 20);
    expect(first).toBeLessThanOrEqual(Date.now());
    expect(second).toBeGreaterThanOrEqual(first! + 20);
  });

  it("retries a service's DEADLINE_EXCEEDED answer like a timeout, and counts it against the circuit", async () => {
    const late = { ok: false, error: { code: 'DEADLINE_EXCEEDED', message: 'user.get: the deadline passed' } };
    const retried = new ScriptedTransport([() => of(late), () => of({ ok: true, value: 2 })]);
    await expect(client(retried, 5).call('user.get', {})).resolves.toBe(2);
    expect(retried.sent).toBe(2);

    const alwaysLate = new ScriptedTransport([() => of(late)]);
    const calls = client(alwaysLate, 1);
    const error = await calls.call('user.get', {}).catch((caught: unknown) => caught);
    expect(isServiceUnavailableError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
    expect(isCircuitOpenError(await calls.call('user.get', {}).catch((caught: unknown) => caught))).toBe(true);
  });
});
