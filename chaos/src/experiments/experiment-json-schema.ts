import { join } from 'node:path';
import { z } from 'zod';
import { builtInExperimentsDir } from './catalogue.js';
import { experimentSchema } from './experiment.schema.js';
import { experimentSchemaDocs } from './schema-docs.js';

/**
 * The published JSON Schema of experiment documents, generated from the zod schema so the two cannot drift
 * (a unit test compares it with the committed chaos/experiment.schema.json). It describes documents as
 * written (`io: 'input'`: durations as text, defaults optional); cross-field rules (give either `for` or
 * `until`, …) are only enforced by `faultline`, which JSON Schema cannot express simply.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(experimentSchema, { io: 'input', target: 'draft-2020-12', metadata: experimentSchemaDocs });
  return { ...generated, title: 'faultline chaos experiment' };
}

/** chaos/experiment.schema.json, next to the catalogue; catalogue files point editors at it. */
export const experimentJsonSchemaFile = (): string => join(builtInExperimentsDir(), '..', 'experiment.schema.json');

/** Exactly what the committed file holds: two-space JSON and a final newline. */
export const experimentJsonSchemaText = (): string => `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`;
