import { Controller, Get, HttpException, Module, Query, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEFAULT_API_CONFIG, type GatewayConfig } from '#libs/config';
import { AppConfigModule, createHttpApp, ObservabilityModule } from '#libs/observability';
import type { Component } from '#libs/topology';

@Controller('v1')
class PingController {
  /** `?fail=1` answers 500, as a gateway does when a service behind it fails. */
  @Get('ping')
  ping(@Query('fail') fail?: string): { ok: true } {
    if (fail) throw new HttpException('failed on purpose', 500);
    return { ok: true };
  }
}

@Module({})
class StandInModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: StandInModule, imports: [AppConfigModule.forRoot(config), ObservabilityModule.forRoot(config)], controllers: [PingController] };
  }
}

/**
 * A gateway's HTTP layer without its dependencies, on a gateway component's own address: the real
 * observability stack (request metrics, `GET /metrics` with the app/instance/dc labels every app sets)
 * and one public route, `GET /v1/ping`, so that the API SLOs have traffic to measure.
 */
export async function startApiStandIn(component: Component): Promise<NestFastifyApplication> {
  const config: GatewayConfig = {
    app: 'gateway',
    instanceId: component.id,
    dc: component.dc ?? 'none',
    http: { host: component.host, port: component.port },
    logLevel: 'silent',
    redis: { url: 'redis://127.0.0.1:1' },
    nats: { servers: ['nats://127.0.0.1:1'] },
    api: { ...DEFAULT_API_CONFIG, sessionSecret: 'x'.repeat(32) },
  };
  const app = await createHttpApp(StandInModule.forRoot(config));
  await app.listen(component.port, component.host);
  return app;
}
