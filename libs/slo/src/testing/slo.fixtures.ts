import type { Slo } from '../slo.model.js';

/** An SLO as loadSlos would return it, for tests of what is done with one: 99.9 % of checkouts without a 5xx over 30d. */
export function sloFixture(overrides: Partial<Slo> = {}): Slo {
  return {
    name: 'checkout',
    displayName: 'Checkout availability',
    service: 'shop',
    description: 'checkouts without a 5xx',
    target: 0.999,
    windowSeconds: 2_592_000,
    window: '30d',
    good: 'http_requests_total{route="/checkout",status!~"5.."}',
    total: 'http_requests_total{route="/checkout"}',
    file: 'checkout.yaml',
    ...overrides,
  };
}
