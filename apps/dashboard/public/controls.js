import { fill, h, showUnavailable } from './dom.js';
import { clock } from './format.js';

const TOKEN_KEY = 'faultline-dashboard-token';

/**
 * The workshop controls: inject latency, partition two data centers, heal. They call the dashboard's API
 * with the admin token (kept in sessionStorage, for this tab only); without it they stay disabled and the
 * page is read-only. Every answer, refusals included, is shown with its status code.
 */
export class Controls {
  constructor(root) {
    this.root = root;
    this.token = sessionStorage.getItem(TOKEN_KEY);
    this.labRunning = false;
    this.linkChoices = '';
    this.dcChoices = '';
    this.result = root.querySelector('#control-result');
    root.querySelector('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.unlock(root.querySelector('#token').value.trim());
    });
    root.querySelector('#lock').addEventListener('click', () => this.setToken(null));
    root.querySelector('#latency-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      void this.post('/api/faults/latency', {
        link: String(form.get('link')),
        ms: Number(form.get('ms')),
        jitterMs: Number(form.get('jitterMs') || 0),
        ...optionalDuration(form),
      });
    });
    root.querySelector('#partition-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      void this.post('/api/faults/partition', { a: String(form.get('a')), b: String(form.get('b')), oneWay: form.get('oneWay') === 'on', ...optionalDuration(form) });
    });
    root.querySelector('#heal-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.post('/api/faults/heal', { all: true });
    });
    this.refresh();
  }

  async unlock(token) {
    if (!token) return this.show('error', 'Enter the admin token first (faultline up prints it).');
    const answer = await this.call('/api/session', {}, token);
    if (answer.ok) {
      this.setToken(token);
      this.show('ok', 'Unlocked: the workshop controls are enabled for this tab.');
    } else {
      this.setToken(null);
    }
  }

  setToken(token) {
    this.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    this.refresh();
  }

  /** Enables the controls when a token is held and a lab runs. */
  refresh() {
    const enabled = Boolean(this.token) && this.labRunning;
    for (const fieldset of this.root.querySelectorAll('form.control fieldset')) fieldset.disabled = !enabled;
    this.root.querySelector('#lock').hidden = !this.token;
    this.root.querySelector('#control-mode').textContent = !this.token
      ? 'Read-only: enter the admin token to inject and heal faults.'
      : this.labRunning
        ? 'Controls enabled (admin token held for this tab).'
        : 'The lab is not running: there is nothing to inject faults into.';
  }

  /** New topology choices (links, data centers) and whether a lab runs. */
  update(snapshot) {
    this.labRunning = snapshot.controls.available;
    const map = snapshot.map.value;
    const links = map ? [...new Set(map.edges.flatMap((e) => e.links))].sort() : [];
    const dcs = map ? map.dataCenters.map((dc) => dc.id) : [];
    const pairs = dcs.flatMap((a, i) => dcs.slice(i + 1).map((b) => `between=${a}:${b}`));
    const linkKey = [...pairs, ...links].join('\n');
    if (linkKey !== this.linkChoices) {
      this.linkChoices = linkKey;
      fill(this.root.querySelector('#link-choices'), [...pairs, ...links].map((value) => h('option', { value })));
    }
    if (dcs.join() !== this.dcChoices) {
      this.dcChoices = dcs.join();
      const [a, b] = this.root.querySelectorAll('#partition-form select');
      fill(a, dcs.map((dc) => h('option', { value: dc }, dc)));
      fill(b, dcs.map((dc) => h('option', { value: dc }, dc)));
      if (dcs.length > 1) b.value = dcs[1];
    }
    this.refresh();
  }

  async post(path, body) {
    const answer = await this.call(path, body, this.token);
    if (!answer.ok) return;
    const fault = answer.body.fault;
    const healed = answer.body.healed;
    this.show('ok', fault ? `${answer.status}: injected ${fault.id} — ${fault.label}` : `${answer.status}: healed ${healed.length} fault${healed.length === 1 ? '' : 's'} at ${clock(new Date().toISOString())}`);
  }

  async call(path, body, token) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    } catch (error) {
      this.show('error', `The dashboard does not answer: ${error.message}`);
      return { ok: false, status: 0, body: null };
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (response.status === 401) this.setToken(null);
      this.show('error', `${response.status} ${response.statusText || 'refused'}${answer.field ? ` (${answer.field})` : ''}: ${answer.message ?? 'no reason given'}`, response.status);
    }
    return { ok: response.ok, status: response.status, body: answer };
  }

  show(kind, text, status) {
    this.result.className = `result result-${kind}`;
    this.result.dataset.status = status === undefined ? '' : String(status);
    this.result.textContent = text;
  }
}

function optionalDuration(form) {
  const value = form.get('durationSeconds');
  return value ? { durationSeconds: Number(value) } : {};
}

/** The active faults, each with what it does and until when; a Heal button when the controls are enabled. */
export function renderFaults(part, root, controls) {
  showUnavailable(root.querySelector('#faults-unavailable'), part.unavailable);
  const list = root.querySelector('#active-faults');
  if (part.value.active.length === 0) {
    fill(list, h('li', { class: 'muted' }, 'No active fault.'));
    return;
  }
  fill(
    list,
    part.value.active.map((fault) => {
      const heal = h('button', { type: 'button', class: 'heal', dataset: { fault: fault.id } }, 'Heal');
      heal.disabled = !(controls.token && controls.labRunning);
      heal.addEventListener('click', () => void controls.post('/api/faults/heal', { id: fault.id }));
      return h(
        'li',
        { class: `fault fault-${fault.kind}`, dataset: { fault: fault.id } },
        h('code', {}, fault.id),
        ' ',
        fault.label,
        h('span', { class: 'muted' }, fault.expiresAt ? ` until ${clock(fault.expiresAt)}` : ' until healed', fault.run ? ` · run ${fault.run}` : ''),
        ' ',
        heal,
      );
    }),
  );
}
