/**
 * JSON as Toxiproxy's Go server reads it. JSON.parse cannot be used as is: Go decodes integer fields
 * from the literal (`1.0` and `1e3` are not integers), matches keys case-insensitively, treats `null`
 * as "leave the field alone", reads only the first value of a body, and words its errors its own way.
 */

/** A number kept as written, so integer fields can refuse `1.5`, `1.0` and `1e3` the way Go does. */
export class JsonNumber {
  constructor(readonly literal: string) {}
}

/** An object with its keys in document order, duplicates included (Go applies them in turn). */
export class JsonObject {
  constructor(readonly entries: ReadonlyArray<readonly [string, JsonValue]>) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonObject | JsonValue[];

/** The text is not JSON; `message` is Go's wording (`EOF`, `unexpected EOF`, `invalid character …`). */
export class JsonSyntaxError extends Error {}

/** A value of the wrong JSON kind for a field; `message` is Go's `json: cannot unmarshal …` wording. */
export class JsonTypeError extends Error {}

const quoteChar = (char: string): string => {
  if (char === "'") return "'\\''";
  if (char === '"') return `'"'`;
  return `'${JSON.stringify(char).slice(1, -1)}'`;
};

class Parser {
  private index = 0;

  constructor(private readonly text: string) {}

  parseFirstValue(): JsonValue {
    this.skipWhitespace();
    if (this.index >= this.text.length) throw new JsonSyntaxError('EOF');
    // Go's json.Decoder stops after the first value: whatever follows it is never read.
    return this.parseValue();
  }

  private fail(context: string): never {
    if (this.index >= this.text.length) throw new JsonSyntaxError('unexpected EOF');
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.text[this.index]!)} ${context}`);
  }

  private skipWhitespace(): void {
    for (;;) {
      const char = this.text[this.index];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.index++;
    }
  }

  private parseValue(): JsonValue {
    const char = this.text[this.index];
    switch (char) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.parseNumber();
        return this.fail('looking for beginning of value');
    }
  }

  private parseLiteral<T>(word: string, value: T): T {
    for (let i = 0; i < word.length; i++, this.index++) {
      if (this.text[this.index] !== word[i]) this.fail(`in literal ${word} (expecting ${quoteChar(word[i]!)})`);
    }
    return value;
  }

  private parseNumber(): JsonNumber {
    const start = this.index;
    const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
    if (this.text[this.index] === '-') {
      this.index++;
      if (!isDigit(this.text[this.index])) this.fail('in numeric literal');
    }
    if (this.text[this.index] === '0') this.index++;
    else while (isDigit(this.text[this.index])) this.index++;
    if (this.text[this.index] === '.') {
      this.index++;
      if (!isDigit(this.text[this.index])) this.fail('after decimal point in numeric literal');
      while (isDigit(this.text[this.index])) this.index++;
    }
    if (this.text[this.index] === 'e' || this.text[this.index] === 'E') {
      this.index++;
      if (this.text[this.index] === '+' || this.text[this.index] === '-') this.index++;
      if (!isDigit(this.text[this.index])) this.fail('in exponent of numeric literal');
      while (isDigit(this.text[this.index])) this.index++;
    }
    return new JsonNumber(this.text.slice(start, this.index));
  }

  private parseString(): string {
    this.index++; // opening quote
    let result = '';
    let runStart = this.index;
    for (;;) {
      if (this.index >= this.text.length) this.fail('in string literal');
      const char = this.text[this.index]!;
      if (char === '"') {
        result += this.text.slice(runStart, this.index);
        this.index++;
        return result;
      }
      if (char < ' ') this.fail('in string literal');
      if (char !== '\\') {
        this.index++;
        continue;
      }
      result += this.text.slice(runStart, this.index);
      this.index++;
      const escape = this.text[this.index];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (escape !== undefined && escape in simple) {
        result += simple[escape];
        this.index++;
      } else if (escape === 'u') {
        this.index++;
        let code = 0;
        for (let i = 0; i < 4; i++, this.index++) {
          const hex = this.text[this.index];
          if (hex === undefined || !/[0-9a-fA-F]/.test(hex)) this.fail('in \\u hexadecimal character escape');
          code = code * 16 + parseInt(hex, 16);
        }
        result += String.fromCharCode(code);
      } else {
        this.fail('in string escape code');
      }
      runStart = this.index;
    }
  }

  private parseArray(): JsonValue[] {
    this.index++;
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === ']') {
      this.index++;
      return items;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.index >= this.text.length) this.fail('');
      items.push(this.parseValue());
      this.skipWhitespace();
      const char = this.text[this.index];
      if (char === ',') {
        this.index++;
        continue;
      }
      if (char === ']') {
        this.index++;
        return items;
      }
      this.fail('after array element');
    }
  }

  private parseObject(): JsonObject {
    this.index++;
    const entries: Array<readonly [string, JsonValue]> = [];
    this.skipWhitespace();
    if (this.text[this.index] === '}') {
      this.index++;
      return new JsonObject(entries);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.index] !== '"') this.fail('looking for beginning of object key string');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.index] !== ':') this.fail('after object key');
      this.index++;
      this.skipWhitespace();
      if (this.index >= this.text.length) this.fail('');
      entries.push([key, this.parseValue()]);
      this.skipWhitespace();
      const char = this.text[this.index];
      if (char === ',') {
        this.index++;
        continue;
      }
      if (char === '}') {
        this.index++;
        return new JsonObject(entries);
      }
      this.fail('after object key:value pair');
    }
  }
}

/** Reads the first JSON value of a body, as Go's `json.NewDecoder(body).Decode` does. */
export function parseFirstJsonValue(text: string): JsonValue {
  return new Parser(text).parseFirstValue();
}

/** Go's name for the JSON kind of a value, as it appears in `cannot unmarshal <kind> into …`. */
export function jsonKindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (value instanceof JsonNumber) return 'number';
  if (value instanceof JsonObject) return 'object';
  return 'array';
}

export type GoFieldType = 'string' | 'bool' | 'int64' | 'float32';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Converts one JSON value for a Go field of the given type. `undefined` means "leave the field
 * alone" (JSON null). Throws JsonTypeError when Go would refuse it.
 */
export function decodeGoField(value: JsonValue, type: GoFieldType, where: string): string | boolean | number | undefined {
  if (value === null) return undefined;
  const refuse = (what: string): never => {
    throw new JsonTypeError(`json: cannot unmarshal ${what} into Go struct field ${where} of type ${type}`);
  };
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : refuse(jsonKindOf(value));
    case 'bool':
      return typeof value === 'boolean' ? value : refuse(jsonKindOf(value));
    case 'int64': {
      if (!(value instanceof JsonNumber)) return refuse(jsonKindOf(value));
      if (!/^-?\d+$/.test(value.literal)) return refuse(`number ${value.literal}`);
      const exact = BigInt(value.literal);
      if (exact < INT64_MIN || exact > INT64_MAX) return refuse(`number ${value.literal}`);
      return Number(exact);
    }
    case 'float32': {
      if (!(value instanceof JsonNumber)) return refuse(jsonKindOf(value));
      const parsed = Number(value.literal);
      if (!Number.isFinite(parsed) || Math.abs(parsed) > FLOAT32_MAX) return refuse(`number ${value.literal}`);
      return Math.fround(parsed);
    }
  }
}

/**
 * The entries of a JSON object matched to a Go struct's fields: exact key first, otherwise a
 * case-insensitive match (Go's rule), later keys overriding earlier ones. Unknown keys are skipped.
 */
export function matchStructFields(object: JsonObject, fieldNames: readonly string[]): Array<[field: string, value: JsonValue]> {
  const matched: Array<[string, JsonValue]> = [];
  for (const [key, value] of object.entries) {
    const field = fieldNames.includes(key) ? key : fieldNames.find((name) => name.toLowerCase() === key.toLowerCase());
    if (field !== undefined) matched.push([field, value]);
  }
  return matched;
}

/** Go's shortest text for a float32, so `0.3` comes back as `0.3`, not `0.30000001192092896`. */
export function float32ToJsonNumber(value: number): number {
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}
