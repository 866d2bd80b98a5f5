import { describe, expect, it } from '@jest/globals';
import { sloStatus, type SloStatus } from './slo-status.js';
import { sloFixture } from './testing/slo.fixtures.js';

const sloOf = (target: number) => sloFixture({ name: 'api', target });
const firing = (status: SloStatus) => status.alerts.map((a) => `${a.severity} ${a.longWindow}/${a.shortWindow}: ${a.firing}`);
const burn = (status: SloStatus) => Object.fromEntries(status.burnRates.map((b) => [b.window, b.burnRate]));

describe('sloStatus: the error-budget arithmetic, against hand-computed cases', () => {
  it('a healthy SLO: SLI, budget left, burn rates, time to exhaustion in real seconds', () => {
    // target 0.999 → budget 1 − 0.999 = 0.001.
    // SLI = 1 − 0.0002 = 0.9998; budget left = 1 − 0.0002 / 0.001 = 0.8.
    // Burn rates = ratio / 0.001: 0.5, 0.5, 0.5, 0.4, 0.3, 0.2. No policy exceeded: 0.0005 ≤ 14.4 × 0.001 = 0.0144,
    // 0.0004 ≤ 6 × 0.001 = 0.006, 0.0003 ≤ 1 × 0.001.
    // Time to exhaustion at the 1h burn rate: 0.8 × 2 592 000 s / 0.5 = 4 147 200 s (48 days) in real time;
    // at time scale 720 (30 days pass in an hour): 4 147 200 / 720 = 5 760 s.
    const ratios = { '5m': 0.0005, '30m': 0.0005, '1h': 0.0005, '6h': 0.0004, '3d': 0.0003, '30d': 0.0002 };
    const status = sloStatus(sloOf(0.999), ratios, { timeScale: 1 });
    expect(status.slo).toBe('api');
    expect(status.target).toBe(0.999);
    expect(status.sli).toBeCloseTo(0.9998, 12);
    expect(status.budgetRemaining).toBeCloseTo(0.8, 12);
    const rates = burn(status);
    expect(Object.keys(rates)).toEqual(['5m', '30m', '1h', '6h', '3d', '30d']);
    [0.5, 0.5, 0.5, 0.4, 0.3, 0.2].forEach((expected, i) => expect(Object.values(rates)[i]).toBeCloseTo(expected, 12));
    expect(firing(status)).toEqual(['page 1h/5m: false', 'page 6h/30m: false', 'ticket 3d/6h: false']);
    expect(status.alerts.map((a) => a.threshold)).toEqual([14.4, 6, 1]);
    expect(status.alerts[0]!.errorRatioThreshold).toBeCloseTo(0.0144, 15);
    expect(status.timeToExhaustionSeconds).toBeCloseTo(4_147_200, 3);
    expect(status.alertState).toBe('ok');
    expect(sloStatus(sloOf(0.999), ratios, { timeScale: 720 }).timeToExhaustionSeconds).toBeCloseTo(5_760, 6);
  });

  it('a fast burn pages (both windows over 14.4x); the slow-burn ticket fires too; the page wins', () => {
    // Budget 0.001. 1h: 0.015 / 0.001 = 15 > 14.4 and 5m: 0.02 → 20 > 14.4: page.
    // 6h: 0.005 → 5, not > 6: the second page policy stays quiet though 30m is at 10.
    // 3d: 0.002 → 2 > 1 and 6h: 5 > 1: ticket.
    // Budget left: 1 − 0.0005 / 0.001 = 0.5; time to exhaustion 0.5 × 2 592 000 / 15 = 86 400 s (a day); at scale 720, 120 s.
    const ratios = { '5m': 0.02, '30m': 0.01, '1h': 0.015, '6h': 0.005, '3d': 0.002, '30d': 0.0005 };
    const status = sloStatus(sloOf(0.999), ratios, { timeScale: 720 });
    expect(firing(status)).toEqual(['page 1h/5m: true', 'page 6h/30m: false', 'ticket 3d/6h: true']);
    expect(status.alertState).toBe('page');
    expect(burn(status)['1h']).toBeCloseTo(15, 10);
    expect(status.budgetRemaining).toBeCloseTo(0.5, 12);
    expect(status.timeToExhaustionSeconds).toBeCloseTo(120, 8);
  });

  it('both windows must exceed the threshold: a spike in the short window alone does not page', () => {
    // 5m: 0.05 → burn 50, but 1h: 0.01 → 10 ≤ 14.4. 6h 0.0005, 3d 0.0005: ≤ 1x. Nothing fires.
    const status = sloStatus(sloOf(0.999), { '5m': 0.05, '30m': 0.01, '1h': 0.01, '6h': 0.0005, '3d': 0.0005, '30d': 0.0001 }, { timeScale: 1 });
    expect(firing(status)).toEqual(['page 1h/5m: false', 'page 6h/30m: false', 'ticket 3d/6h: false']);
    expect(status.alertState).toBe('ok');
    // A long window over the threshold with its short window unknown (no traffic there) does not fire either.
    expect(sloStatus(sloOf(0.999), { '1h': 0.05, '30d': 0.001 }, { timeScale: 1 }).alerts[0]!.firing).toBe(false);
  });

  it('an overspent budget is negative, its time to exhaustion 0; a ticket when burning slowly', () => {
    // target 0.99 → budget 0.01. 30d: 0.015 → SLI 0.985, budget left 1 − 0.015 / 0.01 = −0.5.
    // 1h: 0.02 → burn 2: the budget is already gone, so 0 s to exhaustion.
    // Ticket: 3d 0.012 > 0.01 and 6h 0.02 > 0.01. Page 6x: 6h 0.02 ≤ 0.06. Page 14.4x: 1h 0.02 ≤ 0.144.
    const status = sloStatus(sloOf(0.99), { '5m': 0.02, '30m': 0.02, '1h': 0.02, '6h': 0.02, '3d': 0.012, '30d': 0.015 }, { timeScale: 1 });
    expect(status.sli).toBeCloseTo(0.985, 12);
    expect(status.budgetRemaining).toBeCloseTo(-0.5, 12);
    expect(status.timeToExhaustionSeconds).toBe(0);
    expect(firing(status)).toEqual(['page 1h/5m: false', 'page 6h/30m: false', 'ticket 3d/6h: true']);
    expect(status.alertState).toBe('ticket');
  });

  it('exactly at a threshold does not fire (PromQL\'s ">"); just above it does', () => {
    // target 0.96875 = 1 − 1/32, so every product below is exact in binary floating point:
    // budget 0.03125; 14.4x → 14.4 × 0.03125 = 0.45; 6x → 0.1875; 1x → 0.03125.
    const slo = sloOf(0.96875);
    const at = { '5m': 0.45, '30m': 0.1875, '1h': 0.45, '6h': 0.1875, '3d': 0.03125, '30d': 0.03125 };
    const status = sloStatus(slo, at, { timeScale: 1 });
    expect(status.alerts.map((a) => a.errorRatioThreshold)).toEqual([0.45, 0.1875, 0.03125]);
    // Burn rates at the thresholds: 0.45 × 32 = 14.4, 0.1875 × 32 = 6, 0.03125 × 32 = 1.
    expect(burn(status)).toEqual({ '5m': 14.4, '30m': 6, '1h': 14.4, '6h': 6, '3d': 1, '30d': 1 });
    expect(firing(status)).toEqual(['page 1h/5m: false', 'page 6h/30m: false', 'ticket 3d/6h: false']);
    expect(status.alertState).toBe('ok');
    // The 30d ratio is exactly the budget: nothing left, and exhaustion is now.
    expect(status.budgetRemaining).toBe(0);
    expect(status.timeToExhaustionSeconds).toBe(0);

    const above = { ...at, '5m': 0.4500001, '1h': 0.4500001, '3d': 0.0312501 };
    expect(firing(sloStatus(slo, above, { timeScale: 1 }))).toEqual(['page 1h/5m: true', 'page 6h/30m: false', 'ticket 3d/6h: true']);
  });

  it('no data at all: every figure null, state no-data', () => {
    const status = sloStatus(sloOf(0.999), {}, { timeScale: 1 });
    expect(status).toEqual({
      slo: 'api',
      sli: null,
      target: 0.999,
      budgetRemaining: null,
      burnRates: ['5m', '30m', '1h', '6h', '3d', '30d'].map((window) => ({ window, burnRate: null })),
      alerts: [
        { severity: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4, errorRatioThreshold: 14.4 * (1 - 0.999), firing: false },
        { severity: 'page', longWindow: '6h', shortWindow: '30m', threshold: 6, errorRatioThreshold: 6 * (1 - 0.999), firing: false },
        { severity: 'ticket', longWindow: '3d', shortWindow: '6h', threshold: 1, errorRatioThreshold: 1 * (1 - 0.999), firing: false },
      ],
      timeToExhaustionSeconds: null,
      alertState: 'no-data',
    });
    expect(sloStatus(sloOf(0.999), { '5m': null, '30d': Number.NaN }, { timeScale: 1 }).alertState).toBe('no-data');
  });

  it('zero traffic lately (the recent windows have no sample, or NaN from 0/0): no burn rate, no time to exhaustion, still ok', () => {
    // Only the 30d window saw requests: SLI 1 − 0.0002 = 0.9998, budget left 0.8; the 1h burn rate is unknown.
    const status = sloStatus(sloOf(0.999), { '5m': null, '30m': Number.NaN, '3d': 0.0001, '30d': 0.0002 }, { timeScale: 1 });
    expect(status.sli).toBeCloseTo(0.9998, 12);
    expect(status.budgetRemaining).toBeCloseTo(0.8, 12);
    expect(burn(status)).toMatchObject({ '5m': null, '30m': null, '1h': null, '6h': null });
    expect(status.timeToExhaustionSeconds).toBeNull();
    expect(status.alertState).toBe('ok');
    // Traffic without errors: burn rate 0, not burning, so no time to exhaustion either; budget untouched.
    const clean = sloStatus(sloOf(0.999), { '5m': 0, '30m': 0, '1h': 0, '6h': 0, '3d': 0, '30d': 0 }, { timeScale: 1 });
    expect([clean.sli, clean.budgetRemaining, clean.timeToExhaustionSeconds, clean.alertState]).toEqual([1, 1, null, 'ok']);
  });
});
