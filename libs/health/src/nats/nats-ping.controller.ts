import { Controller, Inject, type Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { AppConfig } from '#libs/config';
import { APP_CONFIG } from '#libs/observability';

export interface PingReply {
  readonly app: string;
  readonly instance: string;
  readonly dc: string;
}

/**
 * A controller answering `<subject>` over NATS request-reply with who answered: proof, end to
 * end, that a service instance is subscribed and serving (gateways and tests use it).
 */
export function createNatsPingController(subject: string): Type<unknown> {
  @Controller()
  class NatsPingController {
    constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

    @MessagePattern(subject)
    ping(): PingReply {
      return { app: this.config.app, instance: this.config.instanceId, dc: this.config.dc };
    }
  }
  return NatsPingController;
}
