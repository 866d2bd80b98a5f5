import { describe, expect, it } from '@jest/globals';
import Ajv2020Module from 'ajv/dist/2020.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { listBuiltInExperiments } from './catalogue.js';
import { experimentJsonSchemaFile, experimentJsonSchemaText } from './experiment-json-schema.js';

// ajv comes with fastify (it is not a direct dependency): the published schema must work in a standard validator.
const Ajv2020 = Ajv2020Module.default;

describe('the published JSON Schema (chaos/experiment.schema.json)', () => {
  const file = experimentJsonSchemaFile();
  // Regenerate after changing the schema: UPDATE_SCHEMA=1 npm run test:unit -- chaos/src/experiments
  if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, experimentJsonSchemaText());

  it('is the one generated from the zod schema', () => {
    const committed = readFileSync(file, 'utf8');
    const inSync = committed === experimentJsonSchemaText();
    if (!inSync) console.error(`${file} is out of date: run UPDATE_SCHEMA=1 npm run test:unit -- chaos/src/experiments`);
    expect(inSync).toBe(true);
  });

  describe('in a standard validator', () => {
    const ajv = new Ajv2020({ allErrors: true, validateFormats: false, allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);

    it.each(listBuiltInExperiments().map((e) => [e.name, e.file]))('accepts the built-in %s', (_name, path) => {
      expect(validate(parse(readFileSync(path, 'utf8')))).toBe(true);
      expect(validate.errors ?? []).toEqual([]);
    });

    it('refuses an unknown fault type, an unknown field and a duration without a unit', () => {
      const document = {
        version: 1,
        title: 'Broken',
        lesson: 'Nothing to learn.',
        method: [
          { type: 'fault', fault: { type: 'meteor', component: 'geo' } },
          { type: 'wait', for: 10 },
        ],
        retries: 3,
      };
      expect(validate(document)).toBe(false);
      const where = (validate.errors ?? []).map((e) => e.instancePath);
      expect(where).toEqual(expect.arrayContaining(['/method/0/fault/type', '/method/1/for', '']));
    });
  });
});
