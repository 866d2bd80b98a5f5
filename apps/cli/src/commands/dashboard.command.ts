import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import { dashboardProcessArgs, isAlive, labSecret, readLabState, type LabPaths } from '#libs/lab';
import { fixedPortOffsets, type Topology } from '#libs/topology';
import { addStateDirOption, currentTopology, faultlineBin, pathsOf, printJson, type LabCommandOptions } from '../lab-options.js';

interface ServeOptions extends LabCommandOptions {
  host: string;
  port?: number;
  allowRemote?: boolean;
}

interface DashboardOptions extends ServeOptions {
  foreground?: boolean;
  token?: boolean;
}

const parsePort = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError(`--port must be a whole number from 0 to 65535, 0 for any free port (got "${value}")`);
  return n;
};

/** The dashboard's port in a topology: its component's, or the place the topology reserves for it. */
const dashboardPortOf = (topology: Topology): number => topology.components.find((c) => c.kind === 'dashboard')?.port ?? topology.portBase + fixedPortOffsets.dashboard;

const SOURCE_RANK: Record<string, number> = { cli: 3, env: 2, config: 2, implied: 1, default: 0 };

/**
 * Commander gives options that `dashboard` and `dashboard serve` share to the parent when typed after
 * `serve` (`dashboard serve --port 1`): per option, the value from where it was given most explicitly
 * (command line, then environment, then default), the subcommand's on a tie.
 */
function ownOrParentOptions<T>(command: Command): T {
  const parent = command.parent;
  const merged: Record<string, unknown> = { ...command.opts() };
  if (!parent) return merged as T;
  const rank = (c: Command, key: string): number => SOURCE_RANK[c.getOptionValueSource(key) ?? ''] ?? -1;
  for (const [key, value] of Object.entries(parent.opts())) {
    if (value !== undefined && rank(parent, key) > rank(command, key)) merged[key] = value;
  }
  return merged as T;
}

/** The running lab's dashboard, when the lab runs one (its process is alive). */
function runningDashboard(paths: LabPaths): { url: string } | { missing: string } {
  const state = readLabState(paths);
  if (!state || !Object.values(state.processes).some((p) => isAlive(p))) return { missing: `No lab is running in ${paths.root}.` };
  const component = state.topology.components.find((c) => c.kind === 'dashboard');
  if (!component) return { missing: `The lab in ${paths.root} was started without a dashboard component.` };
  const recorded = state.processes[component.id];
  if (!recorded || !isAlive(recorded)) return { missing: `The lab in ${paths.root} runs, but its dashboard (${component.id}) does not.` };
  return { url: `http://${component.host}:${component.port}/` };
}

/**
 * Runs the dashboard process (apps/dashboard/src/main.js, as the lab does) in the foreground, passing it
 * SIGINT/SIGTERM, and ends with its exit code; it checks its own arguments and says what is wrong.
 */
async function serve(options: ServeOptions, port: number): Promise<void> {
  const args = dashboardProcessArgs(faultlineBin, { stateDir: pathsOf(options).root, host: options.host, port, allowRemote: options.allowRemote ?? false });
  // The IPC channel closes when this process dies in any way (even SIGKILL): the child then stops too.
  const child = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`faultline: cannot start the dashboard process: ${error.message}\n`);
      resolve(2);
    });
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)));
  });
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  process.exitCode = code;
}

const hostOption = (command: Command): Command =>
  command
    .option('--host <address>', 'address to listen on (loopback only unless --allow-remote)', '127.0.0.1')
    .option('--port <port>', "port to listen on (default: the lab's dashboard port, lab port base + 2)", parsePort)
    .option('--allow-remote', 'allow a --host other machines can reach: anyone on that network sees the lab, and with the token can inject faults');

export function registerDashboard(program: Command): void {
  const dashboard = addStateDirOption(
    hostOption(
      program
        .command('dashboard')
        .description("Print the URL of the running lab's dashboard (SLOs, topology, live charts, faults, experiment runs), or serve it yourself with --foreground.")
        .option('--json', 'print {"url": ..., "running": true|false, "reason": ...}')
        .option('--token', 'also print the admin token the workshop controls ask for')
        .option('--foreground', 'serve the dashboard from this process (e.g. when no lab runs) until Ctrl-C'),
    ),
  ).addHelpText(
    'after',
    `
The lab starts its dashboard with it (faultline up prints its URL and admin token). Without the token the page
is read-only; with it, it can inject latency and partitions and heal faults, like faultline fault.

Examples:
  faultline dashboard                      print the URL
  faultline dashboard --token              ... and the admin token
  faultline dashboard --foreground         serve it here, lab or no lab
  faultline dashboard serve --port 8080    (what the lab runs)`,
  );
  dashboard.action(async (options: DashboardOptions) => {
    const paths = pathsOf(options);
    if (options.foreground) return serve(options, options.port ?? dashboardPortOf(currentTopology(options)));
    const found = runningDashboard(paths);
    const token = options.token && 'url' in found ? labSecret(paths, 'dashboard-admin-token') : undefined;
    if (options.json) {
      printJson('url' in found ? { url: found.url, running: true, reason: null, ...(token && { token }) } : { url: null, running: false, reason: found.missing });
    } else if ('url' in found) {
      process.stdout.write(`${found.url}\n${token ? `admin token: ${token}\n` : ''}`);
    } else {
      process.stdout.write(`${found.missing}\nStart the lab (and its dashboard) with: faultline up\nor serve the dashboard alone with:      faultline dashboard --foreground\n`);
    }
    if (!('url' in found)) process.exitCode = 1;
  });

  addStateDirOption(hostOption(dashboard.command('serve').description('Serve the dashboard in the foreground until SIGTERM or SIGINT (the lab runs it this way).'))).action(
    async (_options: ServeOptions, command: Command) => {
      const options = ownOrParentOptions<ServeOptions>(command);
      await serve(options, options.port ?? dashboardPortOf(currentTopology(options)));
    },
  );
}
