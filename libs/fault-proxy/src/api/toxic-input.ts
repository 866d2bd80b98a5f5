import type { Direction, ToxicDefinition } from '../core/toxic-definition.js';
import { findToxicType } from '../toxics/registry.js';
import type { ToxicType } from '../toxics/toxic-type.js';
import { apiErrors } from './api-error.js';
import { decodeGoField, JsonObject, jsonKindOf, JsonTypeError, matchStructFields, type JsonValue } from './go-json.js';
import { parseBody } from './proxy-input.js';

const parseDirection = (stream: string): Direction | undefined => {
  const lower = stream.toLowerCase();
  return lower === 'upstream' || lower === 'downstream' ? lower : undefined;
};

/** Keeps the first type error while decoding the rest, as Go's decoder does. */
class FieldErrors {
  private first: JsonTypeError | undefined;

  capture<T>(decode: () => T): T | undefined {
    try {
      return decode();
    } catch (error) {
      if (!(error instanceof JsonTypeError)) throw error;
      this.first ??= error;
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.first) throw apiErrors.badRequestBody(this.first.message);
  }
}

function requireObjectOrNull(value: JsonValue, where: string, goType: string): JsonObject | null {
  if (value === null || value instanceof JsonObject) return value;
  throw new JsonTypeError(`json: cannot unmarshal ${jsonKindOf(value)} into Go struct field ${where} of type ${goType}`);
}

/**
 * Attributes of `type` from a JSON object onto `base`: known keys only, integers only. Throws the
 * first JsonTypeError after reading every key.
 */
function decodeAttributes(value: JsonObject | null, type: ToxicType, base: Readonly<Record<string, number>>): Record<string, number> {
  const attributes: Record<string, number> = {};
  for (const name of type.attributeNames) attributes[name] = base[name] ?? 0;
  if (value === null) return attributes;
  let firstError: JsonTypeError | undefined;
  for (const [field, raw] of matchStructFields(value, type.attributeNames)) {
    try {
      const decoded = decodeGoField(raw, 'int64', `${type.goStructName}.attributes.${field}`);
      if (decoded !== undefined) attributes[field] = decoded as number;
    } catch (error) {
      if (!(error instanceof JsonTypeError)) throw error;
      firstError ??= error;
    }
  }
  if (firstError) throw firstError;
  return attributes;
}

/**
 * A new toxic from a request body, checked in the real server's order: body → stream → default
 * name → type → duplicate name (via `nameTaken`) → attributes.
 */
export function decodeNewToxic(body: string, nameTaken: (name: string) => boolean): ToxicDefinition {
  const value = parseBody(body);
  const fields: { name?: string; type?: string; stream?: string; toxicity?: number } = {};
  let attributesValue: JsonObject | null = null;
  if (value !== null) {
    if (!(value instanceof JsonObject)) {
      throw apiErrors.badRequestBody(`json: cannot unmarshal ${jsonKindOf(value)} into Go value of type toxics.ToxicWrapper`);
    }
    const errors = new FieldErrors();
    for (const [field, raw] of matchStructFields(value, ['name', 'type', 'stream', 'toxicity', 'attributes'])) {
      if (field === 'attributes') {
        const decoded = errors.capture(() => requireObjectOrNull(raw, 'ToxicWrapper.attributes', 'toxics.Toxic'));
        if (decoded !== undefined) attributesValue = decoded;
      } else if (field === 'toxicity') {
        const decoded = errors.capture(() => decodeGoField(raw, 'float32', 'ToxicWrapper.toxicity'));
        if (decoded !== undefined) fields.toxicity = decoded as number;
      } else {
        const decoded = errors.capture(() => decodeGoField(raw, 'string', `ToxicWrapper.${field}`));
        if (decoded !== undefined) fields[field as 'name' | 'type' | 'stream'] = decoded as string;
      }
    }
    errors.throwIfAny();
  }

  const stream = fields.stream ?? 'downstream';
  const direction = parseDirection(stream);
  if (!direction) throw apiErrors.invalidStream();
  const typeName = fields.type ?? '';
  const name = fields.name || `${typeName}_${stream}`;
  const type = findToxicType(typeName);
  if (!type) throw apiErrors.invalidToxicType();
  if (nameTaken(name)) throw apiErrors.toxicExists();
  const errors = new FieldErrors();
  const attributes = errors.capture(() => decodeAttributes(attributesValue, type, {}));
  errors.throwIfAny();
  return { name, type, stream, direction, toxicity: fields.toxicity ?? 1, attributes: attributes! };
}

/** A toxic update: only `attributes` (merged key by key) and `toxicity` change; other keys are ignored. */
export function decodeToxicUpdate(body: string, current: ToxicDefinition): ToxicDefinition {
  const value = parseBody(body);
  if (value === null) return current;
  if (!(value instanceof JsonObject)) {
    throw apiErrors.badRequestBody(`json: cannot unmarshal ${jsonKindOf(value)} into Go value of type struct { Attributes interface {}; Toxicity float32 }`);
  }
  const errors = new FieldErrors();
  let attributes = current.attributes;
  let toxicity = current.toxicity;
  for (const [field, raw] of matchStructFields(value, ['attributes', 'toxicity'])) {
    if (field === 'toxicity') {
      const decoded = errors.capture(() => decodeGoField(raw, 'float32', '.toxicity'));
      if (decoded !== undefined) toxicity = decoded as number;
    } else {
      const object = errors.capture(() => requireObjectOrNull(raw, '.attributes', `toxics.${current.type.goStructName}`));
      if (object) {
        const merged = errors.capture(() => decodeAttributes(object, current.type, attributes));
        if (merged) attributes = merged;
      }
    }
  }
  errors.throwIfAny();
  return { ...current, attributes, toxicity };
}
