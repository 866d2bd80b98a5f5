import { requestIdField } from '#libs/contracts';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from './api.errors.js';

const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * The key that makes a command safe to retry: the client's `Idempotency-Key` when it sends one
 * (a retry after a lost answer reuses it), else the request id (the load balancer's retries of the
 * same request share it).
 */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (header === undefined) return request.id;
  const parsed = requestIdField.safeParse(Array.isArray(header) ? header[0] : header);
  if (!parsed.success) throw new RequestValidationError([{ field: `header.${IDEMPOTENCY_KEY_HEADER}`, message: parsed.error.issues[0]!.message }]);
  return parsed.data;
}
