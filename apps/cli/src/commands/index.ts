import type { Command } from 'commander';
import { registerChaos } from './chaos.command.js';
import { registerDashboard } from './dashboard.command.js';
import { registerDoctor } from './doctor.command.js';
import { registerDown } from './down.command.js';
import { registerFault } from './fault.command.js';
import { registerLogs } from './logs.command.js';
import { registerSlo } from './slo.command.js';
import { registerStatus } from './status.command.js';
import { registerTopology } from './topology.command.js';
import { registerToxiproxyServer } from './toxiproxy-server.command.js';
import { registerUp } from './up.command.js';

/** Each command lives in its own `<name>.command.ts` and registers itself on the root program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerUp, registerStatus, registerDown, registerLogs, registerDoctor, registerTopology, registerToxiproxyServer, registerFault, registerChaos, registerSlo, registerDashboard];
