// Entry point of the dashboard process: the lab starts it, and `faultline dashboard serve|--foreground` runs it
// as a child. Arguments: --state-dir DIR --host ADDRESS --port N [--allow-remote].
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { labPaths } from '#libs/lab';
import { parseServeArguments, ServeArgumentsError } from './serve-arguments.js';
import { startDashboardServer } from './http/dashboard.server.js';

/** Exit codes as the CLI's: 2 = could not run (bad arguments, address in use). */
const fail = (message: string): never => {
  process.stderr.write(`faultline dashboard: ${message}\n`);
  process.exit(2);
};

const faultlineBin = fileURLToPath(new URL('../../../../bin/faultline.js', import.meta.url));

let serve;
try {
  const { values } = parseArgs({
    options: { 'state-dir': { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'allow-remote': { type: 'boolean' } },
    strict: true,
  });
  serve = parseServeArguments(values);
} catch (error) {
  fail(error instanceof ServeArgumentsError || error instanceof TypeError ? error.message : String(error));
}

let server;
try {
  server = await startDashboardServer({ paths: labPaths(serve!.stateDir), faultlineBin, host: serve!.host, port: serve!.port, allowRemote: serve!.allowRemote });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    fail(`cannot listen on ${serve!.host}:${serve!.port}: the address is in use (is the lab's dashboard already running? faultline dashboard); pick another with --port`);
  }
  throw error;
}
process.stdout.write(`faultline dashboard listening on ${server.url} (state dir ${serve!.stateDir})\n`);

// Ctrl-C in a terminal reaches both `faultline dashboard --foreground` and this child, and the parent forwards it
// too: signals within a second of the first are that same request. A later one (a stuck SSE client) ends the
// process at once.
let stopAsked: number | undefined;
const onSignal = (): void => {
  if (stopAsked !== undefined) {
    if (Date.now() - stopAsked > 1000) process.exit(1);
    return;
  }
  stopAsked = Date.now();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Run by `faultline dashboard serve|--foreground` (an IPC channel to it): stop when that command is gone, even
// after a SIGKILL, rather than keep its port as an orphan. The lab starts this process without a channel.
if (process.send) process.once('disconnect', onSignal);
