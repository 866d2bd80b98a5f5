import type { Command } from 'commander';
import { labUp, runDoctor } from '#libs/lab';
import { addStateDirOption, addTopologyOptions, faultlineBin, pathsOf, printJson, topologyOf, type LabCommandOptions } from '../lab-options.js';
import { healLeftoverFaults } from '../leftover-faults.js';
import { createProgressRenderer } from '../render/progress-renderer.js';

interface UpOptions extends LabCommandOptions {
  keepOnFailure?: boolean;
}

export function registerUp(program: Command): void {
  const command = program
    .command('up')
    .description('Start the lab: every server as a real local process, every link through the fault proxy.')
    .option('--keep-on-failure', 'leave started components running when one fails (to debug it)')
    .option('--json', 'print the result as one JSON object on stdout')
    .addHelpText(
      'after',
      `
Examples:
  faultline up                       one DC, one shard: the quick lab (profile "minimal")
  faultline up --profile full        two DCs behind a geo front, two shards
  faultline up -t my-lab.yaml        your own topology file
  faultline up --json | jq .entrypoint

Running "up" again on a running lab reports it and starts nothing twice. Stop it with "faultline down".
Exit codes: 0 up, 1 a component did not start (see its log), 2 bad input or a missing prerequisite.`,
    );
  addTopologyOptions(command);
  addStateDirOption(command);
  command.action(async (options: UpOptions) => {
    await healLeftoverFaults(options);
    const topology = topologyOf(options);
    const paths = pathsOf(options);
    const failing = (await runDoctor({ topology, paths, faultlineBin })).filter((c) => !c.ok);
    if (failing.length > 0) {
      process.stderr.write(
        `faultline up: missing prerequisites:\n${failing.map((c) => `  ✗ ${c.name}: ${c.found}\n      fix: ${c.fix ?? '-'}`).join('\n')}\n`,
      );
      process.exitCode = 2;
      return;
    }
    const renderer = createProgressRenderer();
    process.stderr.write(`faultline: starting the "${topology.name}" lab (${topology.components.length} components, ${topology.links.length} links) in ${paths.root}\n`);
    try {
      const result = await labUp({ topology, paths, faultlineBin, progress: renderer.progress, keepOnFailure: options.keepOnFailure ?? false });
      renderer.done();
      if (options.json) {
        printJson({
          topology: result.topology.name,
          alreadyRunning: result.alreadyRunning,
          entrypoint: result.entrypointUrl,
          faultProxy: result.faultProxyUrl,
          stateDir: paths.root,
          durationSeconds: result.durationMs / 1000,
          down: result.down,
        });
      } else if (result.alreadyRunning) {
        process.stdout.write(`The "${result.topology.name}" lab is already running: ${result.entrypointUrl}\n`);
        if (result.down.length > 0) process.stdout.write(`Down: ${result.down.join(', ')} (see: faultline status)\n`);
      } else {
        process.stdout.write(
          `The "${result.topology.name}" lab is up in ${(result.durationMs / 1000).toFixed(1)} s.\n` +
            `  entrypoint:  ${result.entrypointUrl}\n  fault proxy: ${result.faultProxyUrl}\n` +
            `  next:        faultline status   ·   faultline logs <component>   ·   faultline down\n`,
        );
      }
    } catch (error) {
      renderer.done();
      process.exitCode = 1;
      throw error;
    }
  });
}
