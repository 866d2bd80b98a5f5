import { Controller, Get, HttpCode, Inject, Patch, Post, Put, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import {
  changeEmailRequestSchema,
  registerUserRequestSchema,
  updateProfileRequestSchema,
  USER_PATTERNS,
  userIdField,
  type GetProfileReply,
  type ProfileWriteReply,
  type RegisterUserReply,
} from '#libs/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiErrorFilter } from '../http/api-error.filter.js';
import { parseRequest } from '../http/parse-request.js';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { idempotencyKeyOf } from '../http/idempotency-key.js';
import { ServiceClient } from '../services/service-client.js';
import { SessionAuth } from '../sessions/session-auth.js';
import { SessionStore } from '../sessions/session.store.js';
import { ForbiddenProfileChangeError } from './users.errors.js';

const registerBody = registerUserRequestSchema.omit({ requestId: true }).strict();
const updateBody = updateProfileRequestSchema.pick({ name: true }).strict();
const changeEmailBody = changeEmailRequestSchema.pick({ email: true }).strict();
const userParams = z.object({ id: userIdField });

/** Where a profile's answer came from: `cache`, `replica` or `primary` (for people watching the lab). */
const PROFILE_SOURCE_HEADER = 'x-profile-source';

@Controller('v1/users')
@UseGuards(RateLimitGuard)
@UseFilters(ApiErrorFilter)
export class UsersController {
  constructor(
    @Inject(ServiceClient) private readonly services: ServiceClient,
    @Inject(SessionAuth) private readonly auth: SessionAuth,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  /** Register: `{ email, password, name }` → 201 `{ id }`. A retry with the same `Idempotency-Key` returns the same id. */
  @Post()
  @HttpCode(201)
  async register(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const body = parseRequest(registerBody, request.body);
    const { userId } = await this.services.call<RegisterUserReply>(USER_PATTERNS.register, { ...body, requestId: idempotencyKeyOf(request) });
    void reply.header('location', `/v1/users/${userId}`);
    return { id: userId };
  }

  /** Anyone logged in may read a profile; the owner's own reads see the owner's latest write. */
  @Get(':id')
  async get(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = await this.auth.require(request);
    const { id } = parseRequest(userParams, request.params, 'path.');
    const after = session.userId === id ? session.lastWrite : undefined;
    const { profile, source } = await this.services.call<GetProfileReply>(USER_PATTERNS.getProfile, { userId: id, ...(after ? { after } : {}) });
    void reply.header(PROFILE_SOURCE_HEADER, source);
    return profile;
  }

  /** Change one's own profile: `{ name }`. */
  @Patch(':id')
  update(@Req() request: FastifyRequest) {
    return this.changeOwnProfile(request, USER_PATTERNS.updateProfile, updateBody);
  }

  /** Change one's own email: `{ email }`; 409 when another account has it. */
  @Put(':id/email')
  changeEmail(@Req() request: FastifyRequest) {
    return this.changeOwnProfile(request, USER_PATTERNS.changeEmail, changeEmailBody);
  }

  /** The owner's write, remembered in the session so the owner's next read sees it. */
  private async changeOwnProfile(request: FastifyRequest, pattern: string, bodySchema: z.ZodType<object>) {
    const session = await this.auth.require(request);
    const { id } = parseRequest(userParams, request.params, 'path.');
    const body = parseRequest(bodySchema, request.body);
    if (session.userId !== id) throw new ForbiddenProfileChangeError();
    const { profile, write } = await this.services.call<ProfileWriteReply>(pattern, {
      userId: id,
      actorId: session.userId,
      ...body,
      requestId: idempotencyKeyOf(request),
    });
    await this.sessions.recordWrite(session, write);
    return profile;
  }
}
