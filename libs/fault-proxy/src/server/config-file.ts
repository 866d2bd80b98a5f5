import { readFile } from 'node:fs/promises';
import { FaultlineError } from '#libs/errors';
import { ToxiproxyApiError } from '../api/api-error.js';
import { decodePopulateBody, type ProxyFields } from '../api/proxy-input.js';

/** A `-config` file that cannot be read or applied; the message names the file and what is wrong. */
export class FaultProxyConfigError extends FaultlineError<'FAULT_PROXY_CONFIG_INVALID'> {
  readonly code = 'FAULT_PROXY_CONFIG_INVALID' as const;

  constructor(
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`config file ${file}: ${reason}`, options);
  }
}

/** Reads a config file: the same JSON array of proxies that POST /populate takes. */
export async function readProxyConfigFile(file: string): Promise<ProxyFields[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FaultProxyConfigError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  try {
    return decodePopulateBody(text);
  } catch (error) {
    if (error instanceof ToxiproxyApiError) throw new FaultProxyConfigError(file, error.message, { cause: error });
    throw error;
  }
}
