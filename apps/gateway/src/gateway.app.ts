import type { GatewayConfig } from '#libs/config';
import { createHttpApp } from '#libs/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayModule } from './gateway.module.js';

export function createGatewayApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  return createHttpApp(GatewayModule.forRoot(config));
}
