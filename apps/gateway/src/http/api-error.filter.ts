import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FieldIssue, ServiceErrorCode } from '#libs/contracts';
import { PINO_LOGGER } from '#libs/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CircuitOpenError, RateLimitedError, RequestValidationError, ServiceRefusedError, ServiceUnavailableError, UnauthenticatedError } from './api.errors.js';

/** The service error codes' HTTP statuses: the only place a domain refusal becomes HTTP. */
const statusOfServiceCode: Readonly<Record<ServiceErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  // Only when the answer beat the gateway's own timeout by a hair: the same as no answer.
  DEADLINE_EXCEEDED: 503,
  INTERNAL: 500,
};

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly fields?: readonly FieldIssue[] };
  readonly requestId: string;
}

interface Translated {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly FieldIssue[];
  readonly retryAfterSeconds?: number;
}

export function translateError(error: unknown): Translated {
  if (error instanceof RequestValidationError) return { status: 400, code: error.code, message: error.message, fields: error.fields };
  if (error instanceof UnauthenticatedError) return { status: 401, code: error.code, message: error.message };
  if (error instanceof RateLimitedError) return { status: 429, code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof ServiceUnavailableError || error instanceof CircuitOpenError) {
    return { status: 503, code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof ServiceRefusedError) {
    const status = statusOfServiceCode[error.code];
    return { status, code: error.code, message: error.message, fields: error.fields, ...(status === 503 ? { retryAfterSeconds: 1 } : {}) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, code: status === 404 ? 'NOT_FOUND' : `HTTP_${status}`, message: error.message };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error' };
}

/**
 * Every error of every route leaves as `{ error: { code, message, fields? }, requestId }` with its
 * status; 429 and 503 say when to come back (`Retry-After`). Internal errors are logged, not shown.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const translated = translateError(error);
    if (translated.status >= 500) {
      this.logger.warn({ reqId: request.id, err: error, code: translated.code }, 'request failed');
    }
    if (translated.retryAfterSeconds !== undefined) void reply.header('retry-after', String(translated.retryAfterSeconds));
    const body: ApiErrorBody = {
      error: { code: translated.code, message: translated.message, ...(translated.fields ? { fields: translated.fields } : {}) },
      requestId: request.id,
    };
    void reply.status(translated.status).send(body);
  }
}
