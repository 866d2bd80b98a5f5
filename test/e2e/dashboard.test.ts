import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { loadSlos, SHIPPED_SLO_DIR } from '#libs/slo';
import { faultlineBin, jsonOf, repoRoot } from '../support/faultline-cli.js';
import { waitFor } from '../support/wait-for.js';
import { launchBrowser, openPage, screenshot } from './support/browser.js';
import { startLab, type RunningLab } from './support/running-lab.js';

/**
 * The dashboard in a real browser (playwright-core driving Debian's Chromium) against a running minimal lab:
 * every SLO listed, a fault injected from the CLI turning its link red on the map and appearing on the
 * charts' timeline (the time it takes is measured and printed), the workshop controls refused without the
 * admin token and from another origin; and the page served with no lab at all. Screenshots go to test-artifacts/.
 */

const PORT_BASE = 22500;
const LINK = 'dc-a.user-1->shard0-1';
const SLO_NAMES = loadSlos(SHIPPED_SLO_DIR).map((slo) => slo.name);
/** The page updates at least every second; on this shared, loaded machine allow a few. */
const APPEARS_WITHIN_MS = 10_000;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

// SVG lines and bands at the edge of a chart can have an empty box (a horizontal line): what is waited for is
// that the element is there with its state, not that Playwright deems it visible.
describe('the dashboard of a running lab, in Chromium', () => {
  let lab: RunningLab;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let url: string;

  beforeAll(async () => {
    // One after the other: Chromium starting while the lab's apps boot can push them past their readiness deadline on a busy machine.
    lab = await startLab({ profile: 'minimal', portBase: PORT_BASE });
    browser = await launchBrowser();
    const printed = jsonOf<{ url: string | null; running: boolean }>(await lab.cli('dashboard', '--json'));
    expect(printed.running).toBe(true);
    url = printed.url!;
    expect(url).toBe(`http://127.0.0.1:${PORT_BASE + 2}/`);
    ({ page, errors } = await openPage(browser, url));
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.down();
  }, 180_000);

  it('loads with every SLO, the whole topology with Postgres roles, and Prometheus up', async () => {
    await page.waitForSelector('#lab-state.pill-up', { timeout: 30_000 });
    for (const name of SLO_NAMES) await page.waitForSelector(`#slos tr[data-slo="${name}"]`, { timeout: 30_000 });
    expect(await page.locator('#slos tbody tr').count()).toBe(SLO_NAMES.length);
    const components = lab.status.components.map((c) => c.id);
    for (const id of components) expect(await page.locator(`#map g.node[data-component="${id}"]`).count()).toBe(1);
    await page.waitForSelector('#map g.node[data-component="shard0-1"][data-role="primary"]', { timeout: 30_000 });
    await page.waitForSelector('#prometheus-state.pill-up', { timeout: 60_000 });
    await page.waitForSelector('#connection.pill-up', { timeout: 10_000 });
    expect(await page.locator('#map line.edge.faulted').count()).toBe(0);
    await screenshot(page, 'dashboard-running-lab');
    expect(errors).toEqual([]);
  }, 120_000);

  it('a fault injected from the CLI turns its link red on the map and shows on the charts within seconds', async () => {
    const commandStarted = Date.now();
    const injected = await lab.cli('fault', 'inject', 'latency', '--link', LINK, '--ms', '300', '--json');
    expect(injected.code).toBe(0);
    const fault = jsonOf<{ fault: { id: string; injectedAt: string } }>(injected).fault;
    const appliedAt = Date.parse(fault.injectedAt);

    await page.waitForSelector(`#map line.edge.faulted[data-links~="${LINK}"][data-faults~="${fault.id}"]`, { state: 'attached', timeout: APPEARS_WITHIN_MS });
    const onMap = Date.now();
    await page.waitForSelector(`#chart-latency .fault-band.open[data-fault-id="${fault.id}"]`, { state: 'attached', timeout: APPEARS_WITHIN_MS });
    const onChart = Date.now();
    await page.waitForSelector(`#active-faults li[data-fault="${fault.id}"]`, { timeout: APPEARS_WITHIN_MS });
    process.stdout.write(
      `dashboard: fault ${fault.id} applied → red link on the map in ${onMap - appliedAt} ms, band on the chart in ${onChart - appliedAt} ms ` +
        `(from the start of the CLI command: ${onMap - commandStarted} ms / ${onChart - commandStarted} ms)\n`,
    );
    expect(onMap - appliedAt).toBeLessThan(APPEARS_WITHIN_MS);
    // Only the faulted link's edge is red.
    expect(await page.locator('#map line.edge.faulted').count()).toBe(1);
    expect(await page.locator('#active-faults li').first().textContent()).toContain('latency 300±0 ms on 1 link');
    await screenshot(page, 'dashboard-fault-injected');

    expect((await lab.cli('fault', 'heal', fault.id)).code).toBe(0);
    await page.waitForSelector('#map line.edge.faulted', { state: 'detached', timeout: APPEARS_WITHIN_MS });
    // The window is closed on the chart, and stays drawn.
    await page.waitForSelector(`#chart-latency .fault-band:not(.open)[data-fault-id="${fault.id}"]`, { state: 'attached', timeout: APPEARS_WITHIN_MS });
    expect(errors).toEqual([]);
  }, 120_000);

  it('is read-only without the admin token: controls disabled, the API answers 401 and the page shows it; another origin gets 403', async () => {
    expect(await page.locator('#latency-form button[type=submit]').isDisabled()).toBe(true);
    expect(await page.locator('#partition-form button[type=submit]').isDisabled()).toBe(true);

    // The page's own request without a token.
    const fromPage = await page.evaluate(async (link) => {
      const response = await fetch('/api/faults/latency', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link, ms: 100 }) });
      return { status: response.status, body: await response.json() };
    }, LINK);
    expect(fromPage).toEqual({ status: 401, body: expect.objectContaining({ field: 'Authorization' }) });

    // A wrong token typed into the page: refused, and the refusal is shown.
    await page.fill('#token', 'not-the-token');
    await page.click('#unlock');
    await page.waitForSelector('#control-result[data-status="401"]', { timeout: 10_000 });
    expect(await page.textContent('#control-result')).toMatch(/^401 .*\(Authorization\): the admin token is wrong/);
    expect(await page.locator('#latency-form button[type=submit]').isDisabled()).toBe(true);
    await screenshot(page, 'dashboard-refused-without-token');

    const token = jsonOf<{ token: string }>(await lab.cli('dashboard', '--token', '--json')).token;
    const api = `${url}api/faults/latency`;
    expect((await post(api, { link: LINK, ms: 100 })).status).toBe(401);
    const foreign = await post(api, { link: LINK, ms: 100 }, { authorization: `Bearer ${token}`, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ field: 'Origin' });
    const wrongField = await post(api, { link: LINK, ms: 'slow' }, { authorization: `Bearer ${token}` });
    expect(wrongField.status).toBe(400);
    expect(await wrongField.json()).toMatchObject({ field: 'body.ms' });
    expect(jsonOf<{ faults: unknown[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
  }, 60_000);

  it('with the token, the page injects latency and heals it through the same fault ledger as the CLI', async () => {
    const token = jsonOf<{ token: string }>(await lab.cli('dashboard', '--token', '--json')).token;
    await page.fill('#token', token);
    await page.click('#unlock');
    await page.waitForSelector('#latency-form fieldset:not([disabled])', { timeout: 10_000 });
    await page.fill('#latency-form input[name=link]', LINK);
    await page.fill('#latency-form input[name=ms]', '150');
    await page.click('#latency-form button[type=submit]');
    await page.waitForSelector('#control-result[class~="result-ok"]', { timeout: 20_000 });
    const listed = jsonOf<{ faults: { id: string; links: string[] }[] }>(await lab.cli('fault', 'list', '--json')).faults;
    expect(listed).toEqual([expect.objectContaining({ links: [LINK] })]);
    await page.waitForSelector(`#map line.edge.faulted[data-faults~="${listed[0]!.id}"]`, { state: 'attached', timeout: APPEARS_WITHIN_MS });
    await page.click(`#active-faults button.heal[data-fault="${listed[0]!.id}"]`);
    await page.waitForSelector('#map line.edge.faulted', { state: 'detached', timeout: APPEARS_WITHIN_MS });
    expect(jsonOf<{ faults: unknown[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});

describe('the dashboard with no lab, in Chromium', () => {
  let stateDir: string;
  let server: ChildProcess;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'faultline-dashboard-'));
    // What the lab's files may hold is shown as text, never as markup: a fault label and a report title with HTML in them.
    mkdirSync(join(stateDir, 'faults', 'active'), { recursive: true });
    const label = '<img src=x onerror="window.__injected=1">latency';
    writeFileSync(
      join(stateDir, 'faults', 'active', 'fhtml01.json'),
      JSON.stringify({ id: 'fhtml01', spec: { kind: 'latency', links: ['a->b'], ms: 1, jitterMs: 0 }, label, target: 'a->b', createdAt: new Date().toISOString(), appliedAt: new Date().toISOString() }),
    );
    mkdirSync(join(stateDir, 'runs', '2026-11-27T08-00-00Z-x'), { recursive: true });
    writeFileSync(
      join(stateDir, 'runs', '2026-11-27T08-00-00Z-x', 'report.json'),
      JSON.stringify({ experiment: { name: 'x', title: '<script>window.__injected=2</script>Title' }, verdict: 'pass', startedAt: '2026-11-27T08:00:00Z', durationSeconds: 5 }),
    );
    server = spawn(process.execPath, [faultlineBin, 'dashboard', 'serve', '--state-dir', stateDir, '--port', '0'], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      server.once('exit', (code) => reject(new Error(`dashboard serve exited with ${String(code)}: ${out}`)));
    });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('shows that the lab is down, every SLO without data, and no control; lab text is escaped', async () => {
    const { page, errors } = await openPage(browser, url);
    await page.waitForSelector('#lab-state.pill-down', { timeout: 15_000 });
    await page.waitForSelector('#banner:not([hidden])');
    expect(await page.textContent('#problems')).toContain('The lab is not running (start it with: faultline up).');
    expect(await page.textContent('#prometheus-state')).toBe('Prometheus unavailable');
    for (const name of SLO_NAMES) expect(await page.textContent(`#slos tr[data-slo="${name}"] .pill`)).toBe('no-data');
    expect(await page.isVisible('#map-unavailable')).toBe(true);
    expect(await page.isVisible('#charts-unavailable')).toBe(true);
    expect(await page.locator('#latency-form button[type=submit]').isDisabled()).toBe(true);

    expect(await page.textContent('#active-faults li[data-fault="fhtml01"]')).toContain('<img src=x onerror="window.__injected=1">latency');
    expect(await page.textContent('#runs tbody')).toContain('<script>window.__injected=2</script>Title');
    expect(await page.locator('#active-faults img, #runs script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __injected?: number }).__injected)).toBeUndefined();
    await screenshot(page, 'dashboard-no-lab');
    expect(errors).toEqual([]);

    const state = (await (await fetch(`${url}api/state`)).json()) as { lab: { running: boolean }; problems: string[] };
    expect(state.lab.running).toBe(false);
    expect((await fetch(`${url}health`)).status).toBe(200);
    expect((await post(`${url}api/faults/heal`, { all: true })).status).toBe(401);
  }, 60_000);

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 20_000);

  it('leaves no dashboard process behind when `faultline dashboard serve` itself is SIGKILLed', async () => {
    const cli = spawn(process.execPath, [faultlineBin, 'dashboard', 'serve', '--state-dir', stateDir, '--port', '0'], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => cli.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve()));
    const children = readFileSync(`/proc/${cli.pid!}/task/${cli.pid!}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(children).toHaveLength(1);
    const running = (pid: number): boolean => {
      try {
        return !/^[ZX]$/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]!);
      } catch {
        return false;
      }
    };
    cli.kill('SIGKILL');
    await waitFor('the dashboard process to end after its CLI was SIGKILLed', () => !running(children[0]!), 10_000);
  }, 30_000);
});
