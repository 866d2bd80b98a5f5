import type { AppConfig } from '#libs/config';

/** Who is talking: stamped on every log line and, as default labels, on every metric. */
export type InstanceIdentity = Pick<AppConfig, 'app' | 'instanceId' | 'dc'>;
