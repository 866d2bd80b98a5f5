import type { Command } from 'commander';
import { labDown } from '#libs/lab';
import { addStateDirOption, pathsOf, printJson, type LabCommandOptions } from '../lab-options.js';
import { releaseFaultsForShutdown } from '../leftover-faults.js';
import { createProgressRenderer } from '../render/progress-renderer.js';

export function registerDown(program: Command): void {
  const command = program
    .command('down')
    .description('Stop every process the lab started (also after a crashed or killed `up`) and free its ports.')
    .option('--purge', 'also delete the lab\'s data, logs and state')
    .option('--json', 'print the result as one JSON object on stdout')
    .addHelpText('after', '\nData is kept for a fast next "up" unless --purge is given.\nExit codes: 0 stopped (or nothing was running), 1 something still listens on a lab port.');
  addStateDirOption(command);
  command.action(async (options: LabCommandOptions & { purge?: boolean }) => {
    await releaseFaultsForShutdown(options);
    const renderer = createProgressRenderer();
    const result = await labDown({ paths: pathsOf(options), purge: options.purge ?? false, progress: renderer.progress });
    renderer.done();
    if (options.json) printJson({ ...result, durationSeconds: result.durationMs / 1000 });
    else {
      process.stdout.write(
        result.stopped > 0 ? `Stopped ${result.stopped} processes in ${(result.durationMs / 1000).toFixed(1)} s.\n` : 'No lab process was running.\n',
      );
      if (result.purged) process.stdout.write('Deleted the lab\'s data, logs and state.\n');
      if (result.stillListening.length > 0) process.stdout.write(`Still listening (not ours to stop?): ${result.stillListening.join(', ')}\n`);
    }
    if (result.stillListening.length > 0) process.exitCode = 1;
  });
}
