import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { loadProfile } from './load-topology.js';
import { renderMermaid } from './render-mermaid.js';

describe('the architecture diagram', () => {
  it('draws every DC, every component but the fault proxy, and the entrypoint', () => {
    const t = loadProfile('full');
    const diagram = renderMermaid(t);
    for (const dc of t.dataCenters) expect(diagram).toContain(`subgraph ${dc.id.replace(/-/g, '_')}`);
    for (const c of t.components.filter((x) => x.kind !== 'fault-proxy')) expect(diagram).toContain(`"${c.id}`);
    expect(diagram).toContain('client --> geo');
  });

  it('shows Prometheus scraping each DC and the geo front, and the dashboard reading Prometheus', () => {
    const diagram = renderMermaid(loadProfile('full'));
    for (const target of ['dc_a', 'dc_b', 'geo']) expect(diagram).toContain(`prometheus -.->|scrapes| ${target}\n`);
    expect(diagram).toContain('dashboard -.->|queries| prometheus\n');
    expect(renderMermaid(loadProfile('minimal'))).not.toContain('|scrapes| geo');
  });

  it('in README.md is the one generated from the current model (npm run docs refreshes it)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const profile of ['minimal', 'full']) expect(readme).toContain('```mermaid\n' + renderMermaid(loadProfile(profile)) + '```');
  });
});
