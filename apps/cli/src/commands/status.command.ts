import type { Command } from 'commander';
import { labStatus, type LabStatus } from '#libs/lab';
import { addStateDirOption, faultlineBin, pathsOf, printJson, type LabCommandOptions } from '../lab-options.js';
import { healLeftoverFaults } from '../leftover-faults.js';

const uptime = (s: number | null): string => (s === null ? '-' : s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`);

function renderStatus(status: LabStatus, showLinks: boolean): string {
  if (!status.running) return `No lab is running in ${status.stateDir}. Start one with: faultline up\n`;
  const rows = status.components.map((c) => [
    c.id,
    c.kind,
    c.dc ?? '-',
    c.role ?? '-',
    c.pid === null ? '-' : String(c.pid),
    c.address,
    !c.running ? 'DOWN' : c.healthy ? 'healthy' : 'UNHEALTHY',
    uptime(c.uptimeSeconds),
    c.healthy ? (c.detail ?? '') : (c.detail ?? ''),
  ]);
  const header = ['COMPONENT', 'KIND', 'DC', 'ROLE', 'PID', 'ADDRESS', 'HEALTH', 'UP', 'DETAIL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell.slice(0, 80) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const faulted = status.links.filter((l) => l.faulted);
  const linkRows = (showLinks ? status.links : faulted).map(
    (l) =>
      `  ${l.name.padEnd(34)} ${l.listen.padEnd(16)} → ${l.upstream.padEnd(16)} ${l.enabled === null ? '?' : l.enabled ? 'enabled' : 'DISABLED'}${l.toxics.length ? `  toxics: ${l.toxics.map((t) => `${t.type}/${t.stream}`).join(', ')}` : ''}`,
  );
  return (
    `Lab "${status.topology}" — entrypoint ${status.entrypoint} — ${status.healthy ? 'all healthy' : 'NOT all healthy'}\n\n` +
    [line(header), ...rows.map(line)].join('\n') +
    `\n\nLinks: ${status.links.length} through the fault proxy at ${status.faultProxy}, ${faulted.length} with an active fault` +
    (linkRows.length ? `\n${linkRows.join('\n')}` : '') +
    (showLinks ? '' : '\n(all links: faultline status --links)') +
    '\n'
  );
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('Show every component (DC, kind, Postgres role, pid, address, health, uptime) and every link with its faults.')
    .option('--json', 'print the status as one JSON object (documented in README: "status --json")')
    .option('--links', 'list every link, not only those with an active fault')
    .addHelpText('after', '\nExit codes: 0 running and all healthy, 1 running with unhealthy or stopped components, 3 no lab running.');
  addStateDirOption(command);
  command.action(async (options: LabCommandOptions & { links?: boolean }) => {
    await healLeftoverFaults(options);
    const status = await labStatus({ paths: pathsOf(options), faultlineBin });
    if (options.json) printJson(status);
    else process.stdout.write(renderStatus(status, options.links ?? false));
    process.exitCode = !status.running ? 3 : status.healthy ? 0 : 1;
  });
}
