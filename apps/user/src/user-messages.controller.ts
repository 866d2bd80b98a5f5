import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, NatsContext, Payload } from '@nestjs/microservices';
import {
  authenticateRequestSchema,
  changeEmailRequestSchema,
  getProfileRequestSchema,
  registerUserRequestSchema,
  updateProfileRequestSchema,
  USER_PATTERNS,
} from '#libs/contracts';
import { deadlineOf, MessageMetrics, serveMessage, type ServeMessageDeps } from '#libs/messaging';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { translateUserError } from './users/user-error.translator.js';
import { UserService } from './users/user.service.js';

/**
 * The user service's NATS API: each pattern validated at the boundary, answered with an envelope; work for
 * a caller whose deadline passed is skipped (see serveMessage).
 */
@Controller()
export class UserMessagesController {
  private readonly deps: ServeMessageDeps;

  constructor(
    @Inject(UserService) private readonly users: UserService,
    @Inject(MessageMetrics) metrics: MessageMetrics,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.deps = { metrics, logger, translate: translateUserError };
  }

  @MessagePattern(USER_PATTERNS.register)
  register(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, USER_PATTERNS.register, registerUserRequestSchema, payload, (m, c) => this.users.register(m, c), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(USER_PATTERNS.authenticate)
  authenticate(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, USER_PATTERNS.authenticate, authenticateRequestSchema, payload, (m, c) => this.users.authenticate(m, c), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(USER_PATTERNS.getProfile)
  getProfile(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, USER_PATTERNS.getProfile, getProfileRequestSchema, payload, (m, c) => this.users.getProfile(m, c), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(USER_PATTERNS.updateProfile)
  updateProfile(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, USER_PATTERNS.updateProfile, updateProfileRequestSchema, payload, (m, c) => this.users.updateProfile(m, c), deadlineOf(context?.getHeaders()));
  }

  @MessagePattern(USER_PATTERNS.changeEmail)
  changeEmail(@Payload() payload: unknown, @Ctx() context?: NatsContext) {
    return serveMessage(this.deps, USER_PATTERNS.changeEmail, changeEmailRequestSchema, payload, (m, c) => this.users.changeEmail(m, c), deadlineOf(context?.getHeaders()));
  }
}
