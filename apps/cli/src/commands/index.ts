import type { Command } from 'commander';

/** Each command lives in its own `<name>.command.ts` and registers itself on the root program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
