import type { Command } from 'commander';
import { runDoctor } from '#libs/lab';
import { addStateDirOption, addTopologyOptions, faultlineBin, pathsOf, printJson, topologyOf, type LabCommandOptions } from '../lab-options.js';

export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description('Check every prerequisite of the lab (servers and versions, build, free ports, disk) and print the command that fixes each problem.')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', '\nExit codes: 0 all good, 1 something is missing (each with its fix).');
  addTopologyOptions(command);
  addStateDirOption(command);
  command.action(async (options: LabCommandOptions) => {
    const checks = await runDoctor({ topology: topologyOf(options), paths: pathsOf(options), faultlineBin });
    if (options.json) printJson({ ok: checks.every((c) => c.ok), checks });
    else {
      for (const c of checks) process.stdout.write(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(28)} ${c.found}${c.ok ? '' : `\n    fix: ${c.fix}`}\n`);
    }
    if (!checks.every((c) => c.ok)) process.exitCode = 1;
  });
}
