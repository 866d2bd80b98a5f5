import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { addStateDirOption, addTopologyOptions, currentTopology, pathsOf, type LabCommandOptions } from '../lab-options.js';

function readFrom(file: string, position: number): { text: string; end: number } {
  const size = statSync(file).size;
  if (size <= position) return { text: '', end: size < position ? 0 : position };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - position);
    readSync(fd, buffer, 0, buffer.length, position);
    return { text: buffer.toString('utf8'), end: size };
  } finally {
    closeSync(fd);
  }
}

export function registerLogs(program: Command): void {
  const command = program
    .command('logs')
    .description('Print a component\'s log (one file per process under <state-dir>/logs).')
    .argument('<component>', 'component id, e.g. dc-a.gateway-1, shard0-1, monitor (see: faultline status)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --lines <n>', 'how many lines from the end to start with', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--lines takes a whole number, e.g. -n 100 (got "${v}")`);
      return n;
    }, 50);
  addTopologyOptions(command);
  addStateDirOption(command);
  command.action(async (componentId: string, options: LabCommandOptions & { follow?: boolean; lines: number }) => {
    const topology = currentTopology(options);
    if (!topology.components.some((c) => c.id === componentId)) {
      throw new Error(`unknown component "${componentId}". Valid names: ${topology.components.map((c) => c.id).join(', ')}`);
    }
    const file = pathsOf(options).logFile(componentId);
    if (!existsSync(file)) {
      process.stderr.write(`${componentId} has no log yet (${file}); it has not been started.\n`);
      return;
    }
    const all = readFrom(file, 0);
    const lines = all.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    process.stdout.write(lines.slice(-options.lines || lines.length).join('\n') + (lines.length ? '\n' : ''));
    if (!options.follow) return;
    let position = all.end;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const next = readFrom(file, position);
        process.stdout.write(next.text);
        position = next.end;
      }, 250);
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}
