import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '#libs/config';

/** Injection token of the instance's `AppConfig`: `@Inject(APP_CONFIG) config: UserConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes the config loaded once in `main.ts` injectable everywhere, without reading the env again. */
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
