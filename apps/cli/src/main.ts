import { CommanderError } from 'commander';
import { isFaultlineError } from '#libs/errors';
import { buildProgram } from './program.js';

/** Exit codes: 0 success, 1 the command ran and found a failure, 2 it could not run (bad input, missing prerequisite). */
const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed the message (and help for help/version, which exit 0).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`faultline: ${message}\n`);
    if (process.env.FAULTLINE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    // A command may have decided its code already (1 = ran and failed); otherwise this is bad input.
    if (!process.exitCode) process.exitCode = isFaultlineError(error, 'COMPONENT_START_FAILED') ? 1 : 2;
  }
}
