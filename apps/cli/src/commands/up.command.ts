import { InvalidArgumentError, Option, type Command } from 'commander';
import { labUp, runDoctor, type UpResult } from '#libs/lab';
import { MAX_SLO_TIME_SCALE } from '#libs/topology';
import { addStateDirOption, addTopologyOptions, faultlineBin, pathsOf, printJson, topologyOf, type LabCommandOptions } from '../lab-options.js';
import { healLeftoverFaults } from '../leftover-faults.js';
import { createProgressRenderer } from '../render/progress-renderer.js';

interface UpOptions extends LabCommandOptions {
  keepOnFailure?: boolean;
}

const parseTimeScale = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 1 || n > MAX_SLO_TIME_SCALE) {
    throw new InvalidArgumentError(
      `--slo-time-scale must be a number from 1 (real time) to ${MAX_SLO_TIME_SCALE}: how many times faster SLO windows pass, e.g. 720 makes 30 days pass in an hour (got "${value}")`,
    );
  }
  return n;
};

/** The dashboard and Prometheus lines of up's human output. */
function observabilityLines({ observability }: UpResult): string {
  const { dashboard, prometheus } = observability;
  return (
    (dashboard ? `  dashboard:   ${dashboard.url}\n  admin token: ${dashboard.adminToken}   (the dashboard's fault controls need it)\n` : '') +
    (prometheus ? `  prometheus:  ${prometheus.url}\n` : '')
  );
}

export function registerUp(program: Command): void {
  const command = program
    .command('up')
    .description('Start the lab: every server as a real local process, every link through the fault proxy.')
    .option('--keep-on-failure', 'leave started components running when one fails (to debug it)')
    .option('--json', 'print the result as one JSON object on stdout')
    .addOption(
      new Option('--slo-time-scale <n>', 'make SLO windows pass n times faster than real time (overrides the topology\'s slo.timeScale; 1 = real time)').argParser(
        parseTimeScale,
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  faultline up                       one DC, one shard: the quick lab (profile "minimal")
  faultline up --profile full        two DCs behind a geo front, two shards
  faultline up -t my-lab.yaml        your own topology file
  faultline up --json | jq .entrypoint
  faultline up --slo-time-scale 720  SLO windows 720x faster: a "30-day" error budget burns in an hour

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
      // A lab recorded before SLOs existed has no slo field.
      const runningScale = result.topology.slo?.timeScale ?? 1;
      if (result.alreadyRunning && options.sloTimeScale !== undefined && options.sloTimeScale !== runningScale) {
        process.stderr.write(
          `faultline up: the running lab keeps its SLO time scale ${runningScale}; to use ${options.sloTimeScale}: faultline down, then faultline up --slo-time-scale ${options.sloTimeScale}\n`,
        );
      }
      if (options.json) {
        printJson({
          topology: result.topology.name,
          alreadyRunning: result.alreadyRunning,
          entrypoint: result.entrypointUrl,
          faultProxy: result.faultProxyUrl,
          stateDir: paths.root,
          durationSeconds: result.durationMs / 1000,
          down: result.down,
          dashboard: result.observability.dashboard,
          prometheus: result.observability.prometheus,
          sloTimeScale: runningScale,
        });
      } else if (result.alreadyRunning) {
        process.stdout.write(`The "${result.topology.name}" lab is already running: ${result.entrypointUrl}\n`);
        if (result.down.length > 0) process.stdout.write(`Down: ${result.down.join(', ')} (see: faultline status)\n`);
        process.stdout.write(observabilityLines(result));
      } else {
        process.stdout.write(
          `The "${result.topology.name}" lab is up in ${(result.durationMs / 1000).toFixed(1)} s.\n` +
            `  entrypoint:  ${result.entrypointUrl}\n  fault proxy: ${result.faultProxyUrl}\n` +
            observabilityLines(result) +
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
