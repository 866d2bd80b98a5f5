import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Component } from '#libs/topology';
import type { LabContext } from '../../lab-context.js';
import { redisPing } from '../../readiness/redis-ping.js';
import type { ComponentHealth, ComponentRunner, ProcessLaunch } from '../component-runner.js';
import { redisConfig } from './redis.config.js';

const configFile = (component: Component, ctx: LabContext): string => ctx.paths.confOf(component.id, 'redis.conf');

/** Redis in the foreground with a generated config; its data (the AOF) lives under the lab's data dir. */
export const redisRunner: ComponentRunner = {
  kind: 'redis',

  async prepare(component, ctx): Promise<void> {
    mkdirSync(ctx.paths.dataOf(component.id), { recursive: true });
    const file = configFile(component, ctx);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, redisConfig(component, ctx.paths));
  },

  launch(component, ctx): ProcessLaunch {
    // SIGTERM makes Redis fsync the AOF and exit.
    return { command: 'redis-server', args: [configFile(component, ctx)], stopSignal: 'SIGTERM' };
  },

  async check(component): Promise<ComponentHealth> {
    try {
      await redisPing(component.host, component.port, 1000);
      return { healthy: true };
    } catch (error) {
      return { healthy: false, detail: (error as Error).message };
    }
  },
};
