import { Option, type Command } from 'commander';
import {
  asyncReplicationFault,
  durationToMs,
  FaultService,
  FaultTargetError,
  isFaultNotFoundError,
  LINK_SELECTOR_HELP,
  linkFaultLabel,
  parseLinkSelector,
  partitionFault,
  resolveLinks,
  type FaultRecord,
  type FaultSpec,
  type LinkFaultSpec,
} from '#chaos';
import { addStateDirOption, faultlineBin, pathsOf, printJson, type LabCommandOptions } from '../lab-options.js';
import { createProgressRenderer } from '../render/progress-renderer.js';

interface FaultOptions extends LabCommandOptions {
  duration?: string;
}

const parseDuration = (value: string): number => {
  try {
    return durationToMs(value);
  } catch {
    throw new Error(`--duration must be a duration like 30s, 500ms or 2m (got "${value}")`);
  }
};

const whole = (flag: string, min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min} (got "${value}")`);
  return n;
};

/** Every fault command first undoes what a dead runner left behind, and says so. */
async function serviceFor(options: LabCommandOptions): Promise<FaultService> {
  const renderer = createProgressRenderer();
  const service = new FaultService({ paths: pathsOf(options), faultlineBin, progress: renderer.progress });
  const healed = await service.healOrphans();
  renderer.done();
  for (const record of healed) process.stderr.write(`faultline: healed ${record.id} (${record.label}), left behind by a runner that is gone or expired\n`);
  return service;
}

const describeRecord = (r: FaultRecord): string =>
  `${r.id}  ${r.label}${r.expiresAt ? `  until ${new Date(r.expiresAt).toLocaleTimeString()}` : '  until healed'}${r.owner ? `  (owned by pid ${r.owner.pid}: ${r.owner.what})` : ''}`;

const recordJson = (r: FaultRecord) => ({
  id: r.id,
  kind: r.spec.kind,
  label: r.label,
  target: r.target,
  links: 'links' in r.spec ? r.spec.links : [],
  component: 'component' in r.spec ? r.spec.component : null,
  shard: 'shard' in r.spec ? r.spec.shard : null,
  injectedAt: r.appliedAt ?? null,
  expiresAt: r.expiresAt ?? null,
  owner: r.owner ?? null,
  run: r.run ?? null,
});

/**
 * Applies a fault. Without --duration it stays until `faultline fault heal`; with one, this command waits,
 * heals it on time (or at Ctrl-C / SIGTERM) and exits — and if it is SIGKILLed meanwhile, the next faultline
 * command heals it.
 */
async function injectAndMaybeWait(options: FaultOptions, spec: FaultSpec, label: string, target: string): Promise<void> {
  const service = await serviceFor(options);
  const durationMs = options.duration === undefined ? undefined : parseDuration(options.duration);
  const record = await service.inject(spec, {
    label,
    target,
    ...(durationMs !== undefined && { durationMs, owned: { what: `faultline fault ${spec.kind} ${target}` } }),
  });
  if (options.json) printJson({ fault: recordJson(record) });
  else process.stdout.write(`Injected ${record.id}: ${label}\n${durationMs === undefined ? `Heal it with: faultline fault heal ${record.id}\n` : ''}`);
  if (durationMs === undefined) return;

  const healNow = async (why: string): Promise<void> => {
    try {
      await service.heal(record.id, 'owner');
      if (!options.json) process.stdout.write(`Healed ${record.id} (${why}).\n`);
    } catch (error) {
      // Someone healed it first (faultline fault heal, the dashboard): what this command was to do is done.
      if (!isFaultNotFoundError(error)) throw error;
      if (!options.json) process.stdout.write(`${record.id} was already healed.\n`);
    }
  };
  let interrupted: NodeJS.Signals | undefined;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, durationMs);
    const onSignal = (signal: NodeJS.Signals): void => {
      interrupted = signal;
      clearTimeout(timer);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  await healNow(interrupted ? `${interrupted}` : `after ${options.duration}`);
  if (interrupted) process.exitCode = interrupted === 'SIGINT' ? 130 : 143;
}

function linkSpec(kind: LinkFaultSpec['kind'], links: string[], options: InjectFlags): { spec: LinkFaultSpec; what: string } {
  switch (kind) {
    case 'latency':
      return { spec: { kind, links, ms: options.ms ?? 200, jitterMs: options.jitter ?? 0 }, what: `latency ${options.ms ?? 200}±${options.jitter ?? 0} ms` };
    case 'bandwidth':
      return { spec: { kind, links, rateKBps: options.rate ?? 64 }, what: `bandwidth ${options.rate ?? 64} KB/s` };
    case 'slicer':
      return { spec: { kind, links, averageSize: 64, sizeVariation: 32, delayUs: 10_000 }, what: 'slicer 64±32 bytes every 10 ms' };
    case 'timeout':
      return { spec: { kind, links }, what: 'blackhole' };
    case 'reset':
      return { spec: { kind, links }, what: 'connection reset' };
    case 'link-down':
      return { spec: { kind, links }, what: 'link down' };
  }
}

interface InjectFlags extends FaultOptions {
  link: string;
  ms?: number;
  jitter?: number;
  rate?: number;
}

const KIND_ALIASES: Record<string, LinkFaultSpec['kind']> = {
  latency: 'latency',
  bandwidth: 'bandwidth',
  timeout: 'timeout',
  blackhole: 'timeout',
  reset: 'reset',
  slicer: 'slicer',
  'link-down': 'link-down',
  down: 'link-down',
};

const withCommon = (command: Command, durationHelp: string): Command => {
  command.addOption(new Option('--duration <time>', durationHelp)).option('--json', 'print the fault as one JSON object');
  addStateDirOption(command);
  return command;
};

export function registerFault(program: Command): void {
  const fault = program
    .command('fault')
    .description('Inject, list and heal faults on the running lab: network faults through the Toxiproxy API, process faults through the runner.')
    .addHelpText(
      'after',
      `
Every fault is written to the lab's fault ledger (<state dir>/faults/) before it is applied. A fault with
--duration is healed on time by the command that made it (which waits), on Ctrl-C, or — if that command was
killed — by the next faultline command. A fault without --duration stays until "faultline fault heal".

Examples:
  faultline fault inject latency --link dc-a->dc-b --ms 200 --jitter 50 --duration 30s
  faultline fault partition dc-a dc-b              # every link crossing between the DCs, both ways
  faultline fault partition dc-a dc-b --one-way    # only traffic from dc-a to dc-b
  faultline fault kill shard0-1                    # SIGKILL the node's keeper and postmaster
  faultline fault pause dc-a.redis --duration 10s  # SIGSTOP: the gray failure
  faultline fault restart dc-a.gateway-1           # clean stop, then start; waits until it is healthy
  faultline fault async-replication 0 --duration 60s  # shard 0's primary stops waiting for its standby
  faultline fault list
  faultline fault heal --all`,
    );

  withCommon(
    fault
      .command('inject <kind>')
      .description(`Add a network fault to the links a selector picks. Kinds: ${Object.keys(KIND_ALIASES).join(', ')}.`)
      .requiredOption('--link <selector>', LINK_SELECTOR_HELP)
      .option('--ms <n>', 'latency: added delay in ms (default 200)', whole('--ms', 0))
      .option('--jitter <n>', 'latency: ± ms (default 0)', whole('--jitter', 0))
      .option('--rate <n>', 'bandwidth: KB/s in each direction (default 64)', whole('--rate', 1)),
    'heal it after this long (30s, 2m); the command waits until then',
  ).action(async (kindText: string, options: InjectFlags) => {
    const kind = KIND_ALIASES[kindText];
    if (!kind) throw new FaultTargetError(`unknown fault kind "${kindText}"; kinds: ${Object.keys(KIND_ALIASES).join(', ')}`, Object.keys(KIND_ALIASES));
    const service = new FaultService({ paths: pathsOf(options), faultlineBin });
    const topology = service.topology();
    const links = resolveLinks(topology, parseLinkSelector(options.link, topology), options.link).map((link) => link.name);
    const { spec, what } = linkSpec(kind, links, options);
    await injectAndMaybeWait(options, spec, linkFaultLabel(what, links, options.link), options.link);
  });

  withCommon(
    fault
      .command('partition <dc> <otherDc>')
      .description('Cut every link that crosses between two data centers (a blackhole: connections hang, as in a real partition), and nothing inside a DC.')
      .option('--one-way', 'cut only traffic that starts in the first DC (an asymmetric partition)'),
    'heal it after this long; the command waits until then',
  ).action(async (a: string, b: string, options: FaultOptions & { oneWay?: boolean }) => {
    const service = new FaultService({ paths: pathsOf(options), faultlineBin });
    const { spec, label, target } = partitionFault(service.topology(), a, b, options.oneWay ?? false);
    await injectAndMaybeWait(options, spec, label, target);
  });

  withCommon(
    fault.command('kill <component>').description('SIGKILL a component (a Postgres node: its keeper and postmaster with every child). Healing starts it again.'),
    'start it again after this long; the command waits until then',
  ).action(async (component: string, options: FaultOptions) => {
    await injectAndMaybeWait(options, { kind: 'kill', component }, `kill ${component}`, component);
  });

  withCommon(
    fault.command('pause <component>').description('SIGSTOP every process of a component: it keeps its sockets and answers nothing. Healing resumes it (SIGCONT).'),
    'resume it after this long; the command waits until then',
  ).action(async (component: string, options: FaultOptions) => {
    await injectAndMaybeWait(options, { kind: 'pause', component }, `pause ${component}`, component);
  });

  addStateDirOption(
    fault
      .command('restart <component>')
      .description(
        'Stop a component cleanly (its stop signal: SIGTERM; a Postgres node stops with a fast shutdown) and start it again; returns once it is healthy. A restarted primary comes back as a standby if its shard failed over meanwhile.',
      )
      .option('--json', 'print the fault as one JSON object'),
  ).action(async (component: string, options: LabCommandOptions) => {
    const service = await serviceFor(options);
    const started = Date.now();
    // In the ledger while it runs (if this command dies mid-restart, the next one starts the component);
    // once the component is back there is nothing left to undo, so it is healed (a no-op) at once.
    const record = await service.inject({ kind: 'restart', component }, { label: `restart ${component}`, target: component, owned: { what: `faultline fault restart ${component}` } });
    await service.heal(record.id, 'owner');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (options.json) printJson({ fault: recordJson(record), seconds: Number(seconds) });
    else process.stdout.write(`Restarted ${component} in ${seconds}s (${record.id}).\n`);
  });

  withCommon(
    fault
      .command('async-replication <shard>')
      .description(
        "Make a shard's replication asynchronous: every node of it leaves the replication quorum (pg_auto_failover's replication-quorum false), so its primary acknowledges commits before any standby has them — a failover can then lose acknowledged writes. Healing puts the nodes back in the quorum.",
      ),
    'make it synchronous again after this long; the command waits until then',
  ).action(async (shard: string, options: FaultOptions) => {
    const service = new FaultService({ paths: pathsOf(options), faultlineBin });
    const { spec, label, target } = asyncReplicationFault(service.topology(), shard);
    await injectAndMaybeWait(options, spec, label, target);
  });

  addStateDirOption(
    fault
      .command('list')
      .description('The active faults, oldest first.')
      .option('--json', 'print {"faults": [...]} with id, kind, label, target, links, component, shard, injectedAt, expiresAt, owner, run'),
  ).action(async (options: LabCommandOptions) => {
    const service = await serviceFor(options);
    const records = service.list();
    if (options.json) printJson({ faults: records.map(recordJson) });
    else process.stdout.write(records.length === 0 ? 'No active fault.\n' : `${records.map(describeRecord).join('\n')}\n`);
  });

  addStateDirOption(
    fault
      .command('heal [id]')
      .description('Undo one fault by its id (see faultline fault list), or every fault with --all.')
      .option('--all', 'heal every active fault')
      .option('--json', 'print {"healed": [...]}'),
  ).action(async (id: string | undefined, options: LabCommandOptions & { all?: boolean }) => {
    if (!id && !options.all) throw new Error('say which fault to heal: faultline fault heal <id> (ids: faultline fault list), or faultline fault heal --all');
    const service = await serviceFor(options);
    const healed = options.all ? await service.healAll('user') : [await service.heal(id!, 'user')];
    if (options.json) printJson({ healed: healed.map(recordJson) });
    else process.stdout.write(healed.length === 0 ? 'No active fault.\n' : `${healed.map((r) => `Healed ${r.id}: ${r.label}`).join('\n')}\n`);
  });
}
