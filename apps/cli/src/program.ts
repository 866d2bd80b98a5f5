import { Command } from 'commander';
import { commands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('faultline')
    .description(
      'An event-sourced distributed-systems lab: run a real multi-DC web architecture on this machine, break it, and watch it recover.',
    )
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    // Set before the subcommands are added: they inherit it, and main maps usage errors to exit code 2.
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}
