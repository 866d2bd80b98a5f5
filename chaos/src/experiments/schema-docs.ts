import { z } from 'zod';

export interface SchemaDocs {
  /** Names the part in the published JSON Schema's `$defs`, so a part used in many places is written once. */
  readonly id?: string;
  /** Shown by editors (via the YAML language server) when hovering a field. */
  readonly description?: string;
}

/** A registry of its own rather than zod's global one, so these ids cannot collide with another schema's. */
export const experimentSchemaDocs = z.registry<SchemaDocs>();

export function documented<S extends z.ZodType>(schema: S, docs: SchemaDocs): S {
  experimentSchemaDocs.add(schema, docs);
  return schema;
}
