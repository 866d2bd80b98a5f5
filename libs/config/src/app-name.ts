/** The four NestJS services of the lab; `FAULTLINE_APP` names one of them. */
export const appNames = ['gateway', 'user', 'media', 'worker'] as const;
export type AppName = (typeof appNames)[number];

/** A service's external dependencies: each one is a readiness check and a required env var. */
export type Dependency = 'redis' | 'nats' | 'postgres';

/**
 * What each service talks to. The loader requires exactly these dependencies' variables and
 * ignores the others, so the runner may hand every instance the same full environment.
 */
export const appDependencies: { readonly [A in AppName]: readonly Dependency[] } = {
  gateway: ['redis', 'nats'],
  user: ['postgres', 'redis', 'nats'],
  media: ['postgres', 'nats'],
  worker: ['redis', 'nats', 'postgres'],
};
