import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { labPaths, readLabState, type LabPaths } from '#libs/lab';
import { builtInProfileNames, MAX_PORT_BASE, resolveTopology, type Topology } from '#libs/topology';

/** The faultline entry script, for processes that are faultline itself (the fault proxy). */
export const faultlineBin = fileURLToPath(new URL('../../../../bin/faultline.js', import.meta.url));

export interface LabCommandOptions {
  stateDir?: string;
  profile?: string;
  topology?: string;
  portBase?: number;
  /** `up` only: overrides the topology's slo.timeScale. */
  sloTimeScale?: number;
  json?: boolean;
}

const parsePort = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > MAX_PORT_BASE) {
    throw new Error(
      `--port-base must be a whole number from 1024 to ${MAX_PORT_BASE} (the lab's ports must end below 32768, where the kernel picks ports for outgoing connections), e.g. --port-base 21000 (got "${value}")`,
    );
  }
  return n;
};

export function addStateDirOption(command: Command): Command {
  return command.addOption(
    new Option('--state-dir <dir>', 'folder holding the lab\'s data, logs and state').env('FAULTLINE_STATE_DIR').default('.faultline'),
  );
}

export function addTopologyOptions(command: Command): Command {
  return command
    .addOption(new Option('-p, --profile <name>', 'built-in topology').choices(builtInProfileNames).default('minimal'))
    .addOption(new Option('-t, --topology <file>', 'a topology file (YAML or JSON) instead of a built-in profile').conflicts('profile'))
    .addOption(new Option('--port-base <port>', 'first port of the lab\'s port range').env('FAULTLINE_PORT_BASE').argParser(parsePort));
}

export const pathsOf = (options: LabCommandOptions): LabPaths => labPaths(options.stateDir);

export function topologyOf(options: LabCommandOptions): Topology {
  return resolveTopology({
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.topology ? { file: options.topology } : {}),
    ...(options.portBase !== undefined ? { portBase: options.portBase } : {}),
    ...(options.sloTimeScale !== undefined ? { sloTimeScale: options.sloTimeScale } : {}),
  });
}

/** The topology of the lab in this state directory if there is one, else the one the options name. */
export function currentTopology(options: LabCommandOptions): Topology {
  return readLabState(pathsOf(options))?.topology ?? topologyOf(options);
}

export const printJson = (value: unknown): void => {
  process.stdout.write(JSON.stringify(value) + '\n');
};
