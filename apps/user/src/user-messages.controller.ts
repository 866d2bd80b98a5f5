import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  authenticateRequestSchema,
  changeEmailRequestSchema,
  getProfileRequestSchema,
  registerUserRequestSchema,
  updateProfileRequestSchema,
  USER_PATTERNS,
} from '#libs/contracts';
import { MessageMetrics, serveMessage, type ServeMessageDeps } from '#libs/messaging';
import { PINO_LOGGER } from '#libs/observability';
import type { Logger } from 'pino';
import { translateUserError } from './users/user-error.translator.js';
import { UserService } from './users/user.service.js';

/** The user service's NATS API: each pattern validated at the boundary, answered with an envelope. */
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
  register(@Payload() payload: unknown) {
    return serveMessage(this.deps, USER_PATTERNS.register, registerUserRequestSchema, payload, (m) => this.users.register(m));
  }

  @MessagePattern(USER_PATTERNS.authenticate)
  authenticate(@Payload() payload: unknown) {
    return serveMessage(this.deps, USER_PATTERNS.authenticate, authenticateRequestSchema, payload, (m) => this.users.authenticate(m));
  }

  @MessagePattern(USER_PATTERNS.getProfile)
  getProfile(@Payload() payload: unknown) {
    return serveMessage(this.deps, USER_PATTERNS.getProfile, getProfileRequestSchema, payload, (m) => this.users.getProfile(m));
  }

  @MessagePattern(USER_PATTERNS.updateProfile)
  updateProfile(@Payload() payload: unknown) {
    return serveMessage(this.deps, USER_PATTERNS.updateProfile, updateProfileRequestSchema, payload, (m) => this.users.updateProfile(m));
  }

  @MessagePattern(USER_PATTERNS.changeEmail)
  changeEmail(@Payload() payload: unknown) {
    return serveMessage(this.deps, USER_PATTERNS.changeEmail, changeEmailRequestSchema, payload, (m) => this.users.changeEmail(m));
  }
}
