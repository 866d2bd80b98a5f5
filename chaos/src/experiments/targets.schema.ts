import { linkKinds } from '#libs/topology';
import { z } from 'zod';
import { documented } from './schema-docs.js';

/** The topology allows 8 shards; ids are 0-based. */
export const shardIndexSchema = documented(z.number().int().min(0).max(7), { id: 'ShardIndex', description: 'A shard id: 0, 1, …' });

export const dataCenterIdSchema = documented(
  z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be a data center id like "dc-a"'),
  { id: 'DataCenterId' },
);

/** Two different DCs, for a partition or the links crossing between them. */
export const dataCenterPairSchema = z
  .tuple([dataCenterIdSchema, dataCenterIdSchema], { error: 'must be two data centers, like [dc-a, dc-b]' })
  .refine(([a, b]) => a !== b, { message: 'must name two different data centers, like [dc-a, dc-b]' });

const componentIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)?$/, 'must be a component id like "dc-a.gateway-1", "shard0-1" or "monitor"');

/**
 * A fixed component id, or a Postgres node by its role at the moment the step runs: the primary of a shard
 * changes with every failover, so "kill the primary" must not be written as a node id.
 */
export const componentTargetSchema = documented(
  z.union([componentIdSchema, z.strictObject({ primaryOf: shardIndexSchema }), z.strictObject({ replicaOf: shardIndexSchema })], {
    error: 'must be a component id like "dc-a.gateway-1", or { primaryOf: <shard> }, or { replicaOf: <shard> }',
  }),
  {
    id: 'ComponentTargetSpec',
    description: 'A component id (dc-a.gateway-1, shard0-1, monitor, geo), or { primaryOf: 0 } / { replicaOf: 1 }, resolved when the step runs.',
  },
);
export type ComponentTargetSpec = z.output<typeof componentTargetSchema>;

/** A link end: a component id, a DC id, a component kind, or a shard's peer group (`shard0.peers`). */
const linkEndSchema = z
  .string()
  .regex(/^[a-z][a-z0-9.-]*$/, 'must be a component id, a data center or a component kind, like "dc-a.redis", "dc-a" or "postgres"');

/** The fields and meaning of `LinkSelector` in libs/topology (select-links.ts), which the fault drivers apply. */
export const linkSelectorSchema = documented(
  z
    .strictObject({
      name: z.string().min(1).optional(),
      from: linkEndSchema.optional(),
      to: linkEndSchema.optional(),
      kind: z.enum(linkKinds).optional(),
      between: dataCenterPairSchema.optional(),
      oneWay: z.boolean().optional(),
    })
    .superRefine((selector, ctx) => {
      const { name, from, to, kind, between } = selector;
      // An empty selector matches every link: far too easy to write by accident for a fault.
      if ([name, from, to, kind, between].every((criterion) => criterion === undefined))
        ctx.addIssue({ code: 'custom', message: 'picks every link: give at least one of name, from, to, kind or between' });
      if (selector.oneWay !== undefined && between === undefined)
        ctx.addIssue({ code: 'custom', path: ['oneWay'], message: 'only applies with between: [<from dc>, <to dc>]' });
    }),
  {
    id: 'LinkSelector',
    description:
      'Picks links; every given criterion must hold. from/to match a component id, a DC or a component kind; between: [a, b] picks the links crossing the two DCs (only a → b with oneWay).',
  },
);
export type LinkSelectorSpec = z.output<typeof linkSelectorSchema>;
