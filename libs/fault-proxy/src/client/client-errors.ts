import { FaultlineError } from '#libs/errors';

/**
 * A Toxiproxy API call that failed. toxiproxy-node-client reports only the status code (its message
 * is `Request failed with status code N`), so `status` is recovered from that; it is undefined when
 * the server could not be reached at all.
 */
export class FaultProxyRequestError extends FaultlineError<'FAULT_PROXY_REQUEST_FAILED'> {
  readonly code = 'FAULT_PROXY_REQUEST_FAILED' as const;

  constructor(
    readonly operation: string,
    readonly url: string,
    readonly status: number | undefined,
    options: { cause: unknown },
  ) {
    super(
      status === undefined
        ? `${operation}: the Toxiproxy API at ${url} could not be reached (${(options.cause as Error)?.message ?? options.cause})`
        : `${operation}: the Toxiproxy API at ${url} answered ${status}`,
      options,
    );
  }
}

const statusPattern = /status code (\d{3})/;

export function statusOf(error: unknown): number | undefined {
  const match = error instanceof Error ? statusPattern.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

/** Runs one client call, turning its errors into FaultProxyRequestError. */
export async function callApi<T>(operation: string, url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new FaultProxyRequestError(operation, url, statusOf(error), { cause: error });
  }
}
