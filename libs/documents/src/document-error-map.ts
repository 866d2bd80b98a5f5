import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/**
 * Zod's messages speak TypeScript ("expected string, received undefined"); a document's author wants to know
 * what to write instead. Given per parse, so a schema's own messages (set on a field) still win over these.
 */
export const documentErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required: write ${expectedName(issue.expected)}`
        : `must be ${expectedName(issue.expected)}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quote(issue.values[0])}, not ${describeValue(issue.input)}`
        : `must be one of ${issue.values.map(quote).join(', ')}${suggestion(issue.input, issue.values)}`;
    case 'invalid_union':
      return issue.discriminator !== undefined && Array.isArray(issue.options)
        ? unknownDiscriminator(issue.input, issue.discriminator, issue.options)
        : undefined;
    case 'unrecognized_keys':
      return unknownFields(issue.keys, fieldsOf(issue.inst));
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_format':
      return issue.pattern ? `must match the pattern ${issue.pattern}` : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
};

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    tuple: 'a list',
    object: 'a mapping of fields (key: value)',
    record: 'a mapping (key: value)',
  };
  return names[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return String(value);
}

const quote = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : String(value));

function suggestion(input: unknown, known: readonly unknown[]): string {
  if (typeof input !== 'string') return '';
  const match = didYouMean(input, known.filter((k): k is string => typeof k === 'string'));
  return match ? ` — did you mean "${match}"?` : '';
}

function unknownDiscriminator(input: unknown, discriminator: string, options: readonly unknown[]): string {
  const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[discriminator] : undefined;
  const list = options.map(quote).join(', ');
  return value === undefined
    ? `is required: write ${discriminator}: one of ${list}`
    : `unknown ${discriminator} ${quote(value)}: write one of ${list}${suggestion(value, options)}`;
}

function fieldsOf(schema: unknown): readonly string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

function unknownFields(keys: readonly string[], known: readonly string[]): string {
  const here = known.length > 0 ? `; the fields here are ${known.join(', ')}` : '';
  if (keys.length !== 1) return `unknown fields ${keys.map(quote).join(', ')}${here}`;
  return `unknown field "${keys[0]}"${suggestion(keys[0], known)}${here}`;
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string | undefined {
  if (origin === 'number' || origin === 'int') return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
  if (origin === 'array') return `needs at least ${minimum} ${minimum === 1 ? 'entry' : 'entries'}`;
  if (origin === 'string') return minimum === 1 ? 'must not be empty' : `must be at least ${minimum} characters long`;
  return undefined;
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string | undefined {
  if (origin === 'number' || origin === 'int') return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
  if (origin === 'array') return `may have at most ${maximum} ${maximum === 1 ? 'entry' : 'entries'}`;
  if (origin === 'string') return `must be at most ${maximum} characters long`;
  return undefined;
}
