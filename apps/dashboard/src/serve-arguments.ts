import { FaultlineError } from '#libs/errors';
import { isLoopbackHost } from './domain/request-guard.js';

/** The dashboard process's arguments are wrong: the message says which and what to type instead. */
export class ServeArgumentsError extends FaultlineError<'DASHBOARD_ARGUMENTS_INVALID'> {
  readonly code = 'DASHBOARD_ARGUMENTS_INVALID' as const;
}

export interface ServeArguments {
  readonly stateDir: string;
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  readonly allowRemote: boolean;
}

/**
 * Validates the dashboard's command line. A host other machines can reach needs --allow-remote: the page shows
 * the lab's inner workings and, with the admin token, injects faults into it.
 */
export function parseServeArguments(values: { readonly 'state-dir'?: string; readonly host?: string; readonly port?: string; readonly 'allow-remote'?: boolean }): ServeArguments {
  const stateDir = values['state-dir'];
  if (!stateDir) throw new ServeArgumentsError('--state-dir is required: the lab state directory whose topology, faults and runs to show');
  const host = values.host ?? '127.0.0.1';
  const allowRemote = values['allow-remote'] ?? false;
  if (!isLoopbackHost(host) && !allowRemote) {
    throw new ServeArgumentsError(
      `--host ${host} would let other machines reach the dashboard: it shows the lab's inner workings and, with the admin token, injects faults into it. ` +
        'It listens on 127.0.0.1 unless you add --allow-remote (then only on a network you trust).',
    );
  }
  const port = Number(values.port);
  if (values.port === undefined || !/^\d+$/.test(values.port) || port > 65_535) {
    throw new ServeArgumentsError(`--port must be a whole number from 0 to 65535, 0 for any free port (got ${values.port === undefined ? 'nothing' : `"${values.port}"`})`);
  }
  return { stateDir, host, port, allowRemote };
}
