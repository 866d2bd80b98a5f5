import { z } from 'zod';
import { MAX_PORT_BASE, PORT_RANGE_SIZE } from './port-range.js';

/**
 * The user-editable description of a lab: data centers, how many instances of each app, shards and
 * where their nodes live. Everything else (components, ports, proxied links) is derived from it.
 */
const dcId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be lower-case letters, digits and dashes, starting with a letter (at most 16)');

/** Beyond it a 30-day window would be shorter than the few scrape intervals any rate needs. */
export const MAX_SLO_TIME_SCALE = 100_000;

const instanceCount = (max: number) => z.number().int().min(1).max(max);

export const dataCenterSpecSchema = z.strictObject({
  id: dcId,
  /** Client region served by this DC (the geo front routes `X-Client-Region: <region>` here). */
  region: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits and dashes'),
  gateways: instanceCount(8).default(2),
  user: instanceCount(8).default(1),
  media: instanceCount(8).default(1),
  worker: instanceCount(8).default(1),
});

export const shardSpecSchema = z.strictObject({
  /** DC of the initial primary. */
  primary: dcId,
  /** DCs of the replicas, one replica per entry. */
  replicas: z.array(dcId).min(1, 'a shard needs at least one replica, or it cannot fail over'),
});

export const topologySpecSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be lower-case letters, digits and dashes'),
    description: z.string().default(''),
    dataCenters: z.array(dataCenterSpecSchema).min(1, 'at least one data center is needed').max(4),
    shards: z.array(shardSpecSchema).min(1, 'at least one shard is needed').max(8),
    /** DC that hosts the failover monitor (pg_auto_failover). Defaults to the first DC. */
    monitor: z.strictObject({ dc: dcId }).optional(),
    /** A geo front is needed (and added by default) as soon as there is more than one DC. */
    geoFront: z.boolean().optional(),
    cdn: z
      .strictObject({
        ttlSeconds: z.number().int().min(1).max(86_400).default(60),
        staleSeconds: z.number().int().min(0).max(86_400).default(300),
      })
      .default({ ttlSeconds: 60, staleSeconds: 300 }),
    /**
     * SLO evaluation. `timeScale`: how many times faster than real time an SLO's windows pass, so that a
     * workshop can watch a "30-day" error budget burn in minutes (60: a nominal hour passes in a minute).
     * 1 is real time. `faultline up --slo-time-scale <n>` overrides it.
     */
    slo: z
      .strictObject({
        timeScale: z
          .number({ message: 'must be a number: how many times faster than real time SLO windows pass (1 = real time)' })
          .min(1, { message: 'must be at least 1 (1 = real time; 60 makes a nominal hour pass in a real minute)' })
          .max(MAX_SLO_TIME_SCALE, { message: `must be at most ${MAX_SLO_TIME_SCALE} (a 30-day window in under a minute)` })
          .default(1),
      })
      .default({ timeScale: 1 }),
    /**
     * First port of the lab's range; the lab uses up to PORT_RANGE_SIZE ports from here. The range must end
     * below 32768, where Linux starts handing out ports for outgoing connections: a lab listening there
     * collides at random with the lab's own client sockets (EADDRINUSE).
     */
    portBase: z
      .number()
      .int()
      .min(1024)
      .max(MAX_PORT_BASE, { message: `must be at most ${MAX_PORT_BASE}: the lab's ${PORT_RANGE_SIZE} ports must end below 32768, where the kernel picks ports for outgoing connections` })
      .default(21_000),
  })
  .superRefine((spec, ctx) => {
    const ids = spec.dataCenters.map((dc) => dc.id);
    const known = new Set(ids);
    const knownList = ids.join(', ');
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['dataCenters', i, 'id'], message: `duplicate data center "${id}"` });
    });
    const regions = spec.dataCenters.map((dc) => dc.region);
    regions.forEach((region, i) => {
      if (regions.indexOf(region) !== i)
        ctx.addIssue({ code: 'custom', path: ['dataCenters', i, 'region'], message: `region "${region}" is already served by another data center` });
    });
    spec.shards.forEach((shard, s) => {
      if (!known.has(shard.primary))
        ctx.addIssue({ code: 'custom', path: ['shards', s, 'primary'], message: `unknown data center "${shard.primary}" (known: ${knownList})` });
      shard.replicas.forEach((dc, r) => {
        if (!known.has(dc))
          ctx.addIssue({ code: 'custom', path: ['shards', s, 'replicas', r], message: `unknown data center "${dc}" (known: ${knownList})` });
      });
    });
    if (spec.monitor && !known.has(spec.monitor.dc))
      ctx.addIssue({ code: 'custom', path: ['monitor', 'dc'], message: `unknown data center "${spec.monitor.dc}" (known: ${knownList})` });
    if (spec.geoFront === false && spec.dataCenters.length > 1)
      ctx.addIssue({ code: 'custom', path: ['geoFront'], message: 'a lab with several data centers needs its geo front' });
  });

export type TopologySpecInput = z.input<typeof topologySpecSchema>;
export type TopologySpec = z.output<typeof topologySpecSchema>;
export type DataCenterSpec = z.output<typeof dataCenterSpecSchema>;
export type ShardSpec = z.output<typeof shardSpecSchema>;
