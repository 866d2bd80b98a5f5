import { describe, expect, it } from '@jest/globals';
import { Command } from 'commander';
import { progressLine, registerChaos } from './chaos.command.js';

describe('faultline chaos', () => {
  it('prints phase, ops/s, errors, active faults and elapsed time on the progress line', () => {
    expect(progressLine({ phase: 'method 4/7: kill the primary of shard 0', elapsedMs: 12_345, opsPerSecond: 38.25, errors: 1, completed: 400, activeFaults: 2 })).toBe(
      '[  12.3s] method 4/7: kill the primary of shard 0 · 38.3 ops/s · 1 error · 2 active faults',
    );
  });

  it('has list and run, and run documents its options, exit codes and examples', () => {
    const program = new Command('faultline');
    registerChaos(program);
    const chaos = program.commands.find((c) => c.name() === 'chaos')!;
    expect(chaos.commands.map((c) => c.name())).toEqual(['list', 'run']);
    const run = chaos.commands.find((c) => c.name() === 'run')!;
    expect(run.options.map((o) => o.long)).toEqual(['--seed', '--json', '--junit', '--state-dir']);
    let help = '';
    run.configureOutput({ writeOut: (s) => (help += s) });
    run.outputHelp();
    expect(help).toMatch(/Exit codes: 0 pass, 1 an assertion or the hypothesis failed, 2 the experiment could not run/);
    expect(help).toContain('faultline chaos run kill-primary');
  });

  it('refuses a seed that is not a whole number', async () => {
    const program = new Command('faultline').exitOverride();
    registerChaos(program);
    program.commands.forEach((c) => c.exitOverride().commands.forEach((s) => s.exitOverride().configureOutput({ writeErr: () => undefined })));
    await expect(program.parseAsync(['node', 'faultline', 'chaos', 'run', 'kill-primary', '--seed', 'x'])).rejects.toThrow(/--seed must be a whole number/);
  });
});
