import { buildProgram } from './program.js';

const program = buildProgram();
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`faultline: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 2;
}
