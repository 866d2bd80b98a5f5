import { Option, type Command } from 'commander';
import { renderMermaid, type Topology } from '#libs/topology';
import { addTopologyOptions, printJson, topologyOf, type LabCommandOptions } from '../lab-options.js';

function renderText(t: Topology): string {
  const lines = [`${t.name}: ${t.description}`, ''];
  for (const c of t.components) lines.push(`  ${c.id.padEnd(20)} ${c.kind.padEnd(17)} ${(c.dc ?? '-').padEnd(6)} ${c.host}:${c.port}`);
  lines.push('', `  ${t.links.length} links through the fault proxy; entrypoint: ${t.entrypoint}`);
  return lines.join('\n') + '\n';
}

export function registerTopology(program: Command): void {
  const command = program
    .command('topology')
    .description('Print a topology (components, ports, links) as text, JSON, or a mermaid diagram — without starting anything.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'mermaid']).default('text'))
    .addHelpText('after', '\nExamples:\n  faultline topology --profile full --format mermaid > lab.mmd\n  faultline topology -t my-lab.yaml      validate your own topology file');
  addTopologyOptions(command);
  command.action((options: LabCommandOptions & { format: 'text' | 'json' | 'mermaid' }) => {
    const topology = topologyOf(options);
    if (options.format === 'json') printJson(topology);
    else process.stdout.write(options.format === 'mermaid' ? renderMermaid(topology) : renderText(topology));
  });
}
