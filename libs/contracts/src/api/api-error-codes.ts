/**
 * Error codes of the public HTTP API that the gateway raises itself (the services' codes are
 * SERVICE_ERROR_CODES), for clients that act on them: the chaos workload, for one.
 */

/**
 * 503 without the request having left the gateway: the service's circuit breaker is open, so nothing was
 * applied and a write can be counted as failed (any other 503 on a write may have committed).
 */
export const CIRCUIT_OPEN = 'CIRCUIT_OPEN' as const;
