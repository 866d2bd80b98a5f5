import { z } from 'zod';

/**
 * Service errors that cross NATS. The gateway maps each code to an HTTP status in one place; services
 * never speak HTTP.
 */
export const SERVICE_ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'EMAIL_TAKEN',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'CONFLICT',
  'UNAVAILABLE',
  /** The caller's deadline (REQUEST_DEADLINE_HEADER) passed before the service could answer: nothing was done after it. */
  'DEADLINE_EXCEEDED',
  'INTERNAL',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `email` or `address.zip`. */
  readonly field: string;
  readonly message: string;
}

export interface ServiceError {
  readonly code: ServiceErrorCode;
  readonly message: string;
  readonly fields?: readonly FieldIssue[];
}

/** Every reply is an envelope, so a domain refusal is data, not a transport failure. */
export type ServiceReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ServiceError };

export const serviceErrorSchema = z.object({
  code: z.enum(SERVICE_ERROR_CODES),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** The envelope's shape, checked by the caller before it trusts `value`. */
export const serviceReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: serviceErrorSchema }),
]);

export const ok = <T>(value: T): ServiceReply<T> => ({ ok: true, value });
export const fail = (error: ServiceError): ServiceReply<never> => ({ ok: false, error });

/** zod issues as field issues: the path joined with dots, the root as `(body)`. */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}
