import { FaultlineError } from '#libs/errors';

/** Prometheus did not answer, or answered with an error: the parts that need it say so. */
export class PrometheusUnavailableError extends FaultlineError<'PROMETHEUS_UNAVAILABLE'> {
  readonly code = 'PROMETHEUS_UNAVAILABLE' as const;
}

/** A request to the dashboard's API that is wrong: `field` names what (the 4xx body says it). */
export class DashboardRequestError extends FaultlineError<'DASHBOARD_REQUEST_INVALID'> {
  readonly code = 'DASHBOARD_REQUEST_INVALID' as const;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const isDashboardRequestError = (error: unknown): error is DashboardRequestError => error instanceof DashboardRequestError;
