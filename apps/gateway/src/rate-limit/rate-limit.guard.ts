import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../http/api.errors.js';
import { bearerTokenOf } from '../sessions/bearer-token.js';
import { SessionAuth } from '../sessions/session-auth.js';
import { clientKeyOf } from './client-key.js';
import { RateLimiter } from './rate-limiter.js';

/** Per-client rate limit on the public API (not on /health or /metrics: the load balancer polls those). */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(SessionAuth) private readonly auth: SessionAuth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The session lookup goes out with the count, in the same round trip to Redis, instead of after it.
    this.auth.prefetch(request);
    const decision = await this.limiter.check(clientKeyOf(request, bearerTokenOf(request.headers.authorization)));
    if (!decision.allowed) {
      void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(decision.retryAfterSeconds));
      throw new RateLimitedError(decision.retryAfterSeconds);
    }
    return true;
  }
}
