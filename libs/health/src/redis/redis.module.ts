import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PINO_LOGGER } from '#libs/observability';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedisConnection, createRedisConnection, type RedisConnectionOptions } from './redis.connection.js';

/** Provides the instance's ioredis `Redis` connection (inject it by its class) and closes it on shutdown. */
@Module({})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  static forRoot(options: RedisConnectionOptions): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: Redis, inject: [PINO_LOGGER], useFactory: (logger: Logger) => createRedisConnection(options, logger) },
      ],
      exports: [Redis],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisConnection(this.redis);
  }
}
