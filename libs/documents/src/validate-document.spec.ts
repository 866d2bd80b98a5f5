import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatDocumentIssues } from './document-issue.js';
import { parseYamlOrJsonWithLines } from './parse-yaml-or-json.js';
import { validateDocumentText } from './validate-document.js';

const schema = z.strictObject({
  name: z.string(),
  count: z.number().int().min(1).optional(),
  color: z.enum(['red', 'green', 'blue']).optional(),
  shape: z
    .discriminatedUnion('type', [z.strictObject({ type: z.literal('circle'), radius: z.number() }), z.strictObject({ type: z.literal('square') })])
    .optional(),
  items: z.array(z.strictObject({ id: z.string() })).min(1).optional(),
  version: z.literal(2).optional(),
});

function issues(text: string) {
  const result = validateDocumentText(schema, text);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.issues;
}

describe('validating YAML and JSON documents', () => {
  it('gives the line of a field at any depth: a map entry at its key, not at its value\'s block', () => {
    const parsed = parseYamlOrJsonWithLines('name: a\nshape:\n  type: circle\n  radius: 2\nitems:\n  - id: x\n  - id: y\n');
    if (!parsed.ok) throw new Error('expected valid YAML');
    expect([['name'], ['shape'], ['shape', 'radius'], ['items', 1], ['items', 1, 'id']].map((p) => parsed.lineOf(p))).toEqual([1, 2, 4, 7, 7]);
    // A field that is not there points at the deepest part of its path that is.
    expect(parsed.lineOf(['shape', 'colour'])).toBe(2);
    expect(parsed.lineOf([])).toBe(1);
  });

  it('says what to write instead of zod\'s TypeScript words', () => {
    expect(issues('count: 2')).toEqual([{ path: 'name', line: 1, message: 'is required: write a string' }]);
    expect(issues('name: a\ncount: "3"')).toEqual([{ path: 'count', line: 2, message: 'must be a number, not the string "3"' }]);
    expect(issues('name: a\ncount: 1.5')).toEqual([{ path: 'count', line: 2, message: 'must be a whole number, not 1.5' }]);
    expect(issues('name: a\ncount: 0')).toEqual([{ path: 'count', line: 2, message: 'must be at least 1' }]);
    expect(issues('name: a\ncolor: gren')).toEqual([{ path: 'color', line: 2, message: 'must be one of "red", "green", "blue" — did you mean "green"?' }]);
    expect(issues('name: a\nversion: 1')).toEqual([{ path: 'version', line: 2, message: 'must be 2, not 1' }]);
    expect(issues('name: a\nitems: []')).toEqual([{ path: 'items', line: 2, message: 'needs at least 1 entry' }]);
    expect(issues('name: [a]')).toEqual([{ path: 'name', line: 1, message: 'must be a string, not a list' }]);
    expect(issues('- a')).toEqual([{ path: '', line: 1, message: 'must be a mapping of fields (key: value), not a list' }]);
  });

  it('reports each unknown field at its own line, with the fields allowed there', () => {
    expect(issues('name: a\nshape:\n  type: square\n  side: 2\nextra: 1\nmore: 2')).toEqual([
      { path: 'shape.side', line: 4, message: 'unknown field "side"; the fields here are type' },
      { path: 'extra', line: 5, message: 'unknown fields "extra", "more"; the fields here are name, count, color, shape, items, version' },
      { path: 'more', line: 6, message: 'unknown fields "extra", "more"; the fields here are name, count, color, shape, items, version' },
    ]);
    expect(issues('name: a\ncolour: red')[0]!.message).toBe('unknown field "colour" — did you mean "color"?; the fields here are name, count, color, shape, items, version');
  });

  it('names the variants of a discriminated union when the discriminator is wrong or missing', () => {
    expect(issues('name: a\nshape: { type: cirle }')).toEqual([
      { path: 'shape.type', line: 2, message: 'unknown type "cirle": write one of "circle", "square" — did you mean "circle"?' },
    ]);
    expect(issues('name: a\nshape: { radius: 1 }')).toEqual([{ path: 'shape.type', line: 2, message: 'is required: write type: one of "circle", "square"' }]);
  });

  it('reads JSON with the same lines', () => {
    expect(issues('{\n  "name": "a",\n  "count": -1\n}')).toEqual([{ path: 'count', line: 3, message: 'must be at least 1' }]);
    expect(validateDocumentText(schema, '{"name": "a"}')).toEqual({ ok: true, data: { name: 'a' } });
  });

  it('reports the first syntax error with its line', () => {
    expect(issues('name: a\ncount: [1, 2\ncolor: red\n')).toEqual([
      { path: '', line: 3, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
    ]);
    expect(issues('{ "name": "a", }\n{')).toHaveLength(1);
  });

  it('formats issues one a line for an error message', () => {
    expect(formatDocumentIssues([{ path: 'a.0', message: 'm', line: 3 }, { path: '', message: 'n' }])).toBe('  a.0 (line 3): m\n  (document): n');
  });

  it('suggests a known word only when it is a likely typo', () => {
    expect(didYouMean('latncy', ['latency', 'bandwidth'])).toBe('latency');
    expect(didYouMean('Duration', ['duration'])).toBe('duration');
    expect(didYouMean('meteor', ['latency', 'kill'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});
