import type { UserConfig } from '#libs/config';
import { ResilientNatsServer } from '#libs/health';
import { createHttpApp } from '#libs/observability';
import type { CustomStrategy } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { UserModule } from './user.module.js';

/** HTTP for health and metrics; the service's API is its NATS microservice. */
export async function createUserApp(config: UserConfig): Promise<NestFastifyApplication> {
  const app = await createHttpApp(UserModule.forRoot(config));
  app.connectMicroservice<CustomStrategy>({ strategy: app.get(ResilientNatsServer) }, { inheritAppConfig: true });
  return app;
}
