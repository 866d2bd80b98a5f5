import { z } from 'zod';
import { documented } from './schema-docs.js';
import { componentTargetSchema, dataCenterPairSchema, linkSelectorSchema, shardIndexSchema } from './targets.schema.js';

/**
 * Network faults act on the selected links' proxies (Toxiproxy toxics, or the proxy disabled); process faults on
 * one component through the lab runner. The fields follow what the fault drivers in chaos/src/faults apply.
 */
const links = linkSelectorSchema;

export const latencyFaultSchema = z.strictObject({
  type: z.literal('latency'),
  links,
  ms: z.number().int().min(0).max(60_000),
  jitter: z.number().int().min(0).max(60_000).default(0),
});

/** Kilobits per second, as links are rated (the drivers' Toxiproxy `rate` is in KB/s: kbps / 8). */
export const bandwidthFaultSchema = z.strictObject({ type: z.literal('bandwidth'), links, kbps: z.number().int().min(8) });

/** A blackhole: no data flows either way, connections hang open. */
export const timeoutFaultSchema = z.strictObject({ type: z.literal('timeout'), links });

/** Connections are reset (TCP RST) as soon as data flows back. */
export const resetFaultSchema = z.strictObject({ type: z.literal('reset'), links });

/** Data is cut into small pieces sent apart: exposes code that assumes one read is one message. */
export const slicerFaultSchema = z.strictObject({
  type: z.literal('slicer'),
  links,
  averageSize: z.number().int().min(1),
  sizeVariation: z.number().int().min(0).default(0),
  delayUs: z.number().int().min(0).default(0),
});

/** The link's proxy is disabled: new connections are refused, open ones closed. */
export const linkDownFaultSchema = z.strictObject({ type: z.literal('link-down'), links });

/** Every link crossing the two DCs goes down (only those from the first to the second with `oneWay`). */
export const partitionFaultSchema = z.strictObject({ type: z.literal('partition'), between: dataCenterPairSchema, oneWay: z.boolean().default(false) });

/** SIGKILL; with a duration the component is started again after it. */
export const killFaultSchema = z.strictObject({ type: z.literal('kill'), component: componentTargetSchema });
/** SIGSTOP, the gray failure: alive to the kernel, silent to everyone else; SIGCONT after the duration. */
export const pauseFaultSchema = z.strictObject({ type: z.literal('pause'), component: componentTargetSchema });
export const restartFaultSchema = z.strictObject({ type: z.literal('restart'), component: componentTargetSchema });

/** The shard's primary stops waiting for its replica before acknowledging a commit: acknowledged writes can be lost. */
export const asyncReplicationFaultSchema = z.strictObject({ type: z.literal('async-replication'), shard: shardIndexSchema });

const faultSchemas = [
  latencyFaultSchema,
  bandwidthFaultSchema,
  timeoutFaultSchema,
  resetFaultSchema,
  slicerFaultSchema,
  linkDownFaultSchema,
  partitionFaultSchema,
  killFaultSchema,
  pauseFaultSchema,
  restartFaultSchema,
  asyncReplicationFaultSchema,
] as const;

export const experimentFaultTypes = faultSchemas.map((schema) => schema.shape.type.value);

export const experimentFaultSchema = documented(z.discriminatedUnion('type', [...faultSchemas]), {
  id: 'ExperimentFault',
  description: `What to break: type ${experimentFaultTypes.join(', ')}.`,
});
export type ExperimentFault = z.output<typeof experimentFaultSchema>;
export type ExperimentFaultType = ExperimentFault['type'];
