import { Charts } from './charts.js';
import { Controls, renderFaults } from './controls.js';
import { fill, h } from './dom.js';
import { clock } from './format.js';
import { renderMap } from './map.js';
import { renderRuns } from './runs.js';
import { renderSlos } from './slos.js';

const root = document;
const charts = new Charts(root);
const controls = new Controls(root);
let lastMessage = 0;

function setPill(id, kind, text) {
  const pill = root.getElementById(id);
  pill.className = `pill pill-${kind}`;
  pill.textContent = text;
}

/** Each part renders on its own: one that fails to draw leaves the others (and a message) in place. */
function render(snapshot) {
  lastMessage = Date.now();
  document.body.dataset.generatedAt = snapshot.generatedAt;
  root.getElementById('lab-name').textContent = snapshot.lab.topology ? `lab "${snapshot.lab.topology}" · ${snapshot.lab.stateDir}` : snapshot.lab.stateDir;
  setPill('lab-state', snapshot.lab.running ? 'up' : 'down', snapshot.lab.running ? 'lab running' : 'lab down');
  setPill('prometheus-state', snapshot.prometheus.up ? 'up' : 'down', snapshot.prometheus.up ? 'Prometheus up' : 'Prometheus unavailable');
  root.getElementById('updated').textContent = `updated ${clock(snapshot.generatedAt)}`;
  const banner = root.getElementById('banner');
  banner.hidden = snapshot.problems.length === 0;
  fill(root.getElementById('problems'), snapshot.problems.map((problem) => h('li', {}, problem)));
  const parts = [
    () => renderSlos(snapshot.slos, root),
    () => renderMap(snapshot.map, root),
    () => charts.update(snapshot.charts, snapshot.faults.value.windows),
    () => controls.update(snapshot),
    () => renderFaults(snapshot.faults, root, controls),
    () => renderRuns(snapshot.runs, root),
  ];
  for (const part of parts) {
    try {
      part();
    } catch (error) {
      console.error(error);
    }
  }
}

async function initial() {
  try {
    const response = await fetch('/api/state');
    if (response.ok) render(await response.json());
  } catch {
    setPill('connection', 'down', 'dashboard unreachable');
  }
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => setPill('connection', 'up', 'live'));
  events.addEventListener('snapshot', (event) => {
    setPill('connection', 'up', 'live');
    render(JSON.parse(event.data));
  });
  // EventSource reconnects by itself (the server asks for 1 s).
  events.addEventListener('error', () => setPill('connection', 'down', 'reconnecting…'));
}

setInterval(() => {
  if (lastMessage && Date.now() - lastMessage > 5000) setPill('connection', 'down', `no update for ${Math.round((Date.now() - lastMessage) / 1000)} s`);
}, 1000);

void initial();
connect();
