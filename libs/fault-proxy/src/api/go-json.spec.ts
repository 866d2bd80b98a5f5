import { describe, expect, it } from '@jest/globals';
import { decodeGoField, float32ToJsonNumber, JsonNumber, JsonObject, JsonSyntaxError, JsonTypeError, matchStructFields, parseFirstJsonValue } from './go-json.js';

const syntaxError = (text: string): string => {
  try {
    parseFirstJsonValue(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
};

describe('parseFirstJsonValue', () => {
  it('reads objects in key order, keeping numbers as written', () => {
    const value = parseFirstJsonValue('{"b": 1.0, "a": [true, null, "x\\u0041\\n"], "b": -0}') as JsonObject;
    expect(value.entries.map(([key]) => key)).toEqual(['b', 'a', 'b']);
    expect(value.entries[0]![1]).toEqual(new JsonNumber('1.0'));
    expect(value.entries[1]![1]).toEqual([true, null, 'xA\n']);
  });

  it('reads only the first value, as Go\'s decoder does', () => {
    expect(parseFirstJsonValue('{"a": 1} trailing garbage')).toBeInstanceOf(JsonObject);
    expect(parseFirstJsonValue('  [1]]')).toEqual([new JsonNumber('1')]);
  });

  it.each([
    ['', 'EOF'],
    ['   \n', 'EOF'],
    ['{"name": ', 'unexpected EOF'],
    ['"open', 'unexpected EOF'],
    ['hello', "invalid character 'h' looking for beginning of value"],
    ['{name: 1}', "invalid character 'n' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a": 1 "b": 2}', `invalid character '"' after object key:value pair`],
    ['[1 2]', "invalid character '2' after array element"],
    ['tru', 'unexpected EOF'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['-x', "invalid character 'x' in numeric literal"],
    ['"a\\qb"', "invalid character 'q' in string escape code"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
  ])('fails %j with Go\'s message %j', (text, message) => {
    expect(syntaxError(text)).toBe(message);
  });
});

describe('decodeGoField', () => {
  it('takes null as "leave the field alone"', () => {
    expect(decodeGoField(null, 'string', 'X.f')).toBeUndefined();
    expect(decodeGoField(null, 'int64', 'X.f')).toBeUndefined();
  });

  it('accepts only integer literals within int64 for integer fields', () => {
    expect(decodeGoField(new JsonNumber('-42'), 'int64', 'X.f')).toBe(-42);
    expect(decodeGoField(new JsonNumber('9223372036854775807'), 'int64', 'X.f')).toBe(9223372036854775807);
    for (const literal of ['1.5', '1.0', '1e3', '9223372036854775808']) {
      expect(() => decodeGoField(new JsonNumber(literal), 'int64', 'LatencyToxic.attributes.latency')).toThrow(
        `json: cannot unmarshal number ${literal} into Go struct field LatencyToxic.attributes.latency of type int64`,
      );
    }
    expect(() => decodeGoField('5', 'int64', 'X.f')).toThrow('json: cannot unmarshal string into Go struct field X.f of type int64');
  });

  it('rounds floats to float32 and refuses what float32 cannot hold', () => {
    expect(decodeGoField(new JsonNumber('0.5'), 'float32', 'X.t')).toBe(0.5);
    expect(decodeGoField(new JsonNumber('1e-3'), 'float32', 'X.t')).toBe(Math.fround(0.001));
    expect(() => decodeGoField(new JsonNumber('1e39'), 'float32', 'X.t')).toThrow(JsonTypeError);
  });

  it('checks strings and booleans', () => {
    expect(decodeGoField('x', 'string', 'X.f')).toBe('x');
    expect(decodeGoField(false, 'bool', 'X.f')).toBe(false);
    expect(() => decodeGoField(new JsonNumber('1'), 'bool', 'X.f')).toThrow('json: cannot unmarshal number into Go struct field X.f of type bool');
    expect(() => decodeGoField([], 'string', 'X.f')).toThrow('cannot unmarshal array');
  });
});

describe('matchStructFields', () => {
  it('matches keys exactly or case-insensitively, in document order, ignoring unknown ones', () => {
    const object = parseFirstJsonValue('{"NAME": "a", "other": 1, "name": "b", "Upstream": "u"}') as JsonObject;
    expect(matchStructFields(object, ['name', 'upstream'])).toEqual([
      ['name', 'a'],
      ['name', 'b'],
      ['upstream', 'u'],
    ]);
  });
});

describe('float32ToJsonNumber', () => {
  it('prints the shortest decimal that is the same float32, as Go does', () => {
    expect(float32ToJsonNumber(Math.fround(0.3))).toBe(0.3);
    expect(float32ToJsonNumber(Math.fround(0.1))).toBe(0.1);
    expect(float32ToJsonNumber(1)).toBe(1);
    expect(float32ToJsonNumber(Math.fround(0.123456789))).toBe(0.12345679);
  });
});
