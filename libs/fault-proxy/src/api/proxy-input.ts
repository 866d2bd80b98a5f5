import { apiErrors, ToxiproxyApiError } from './api-error.js';
import {
  decodeGoField,
  JsonObject,
  jsonKindOf,
  JsonSyntaxError,
  JsonTypeError,
  matchStructFields,
  parseFirstJsonValue,
  type JsonValue,
} from './go-json.js';

/** The proxy fields a request may carry; a field is absent when missing or JSON null (Go's rule). */
export interface ProxyFields {
  readonly name?: string;
  readonly listen?: string;
  readonly upstream?: string;
  readonly enabled?: boolean;
}

const proxyFieldTypes = { name: 'string', listen: 'string', upstream: 'string', enabled: 'bool' } as const;
const proxyFieldNames = Object.keys(proxyFieldTypes);

/** Parses a body's first JSON value; malformed JSON is the contract's `bad request body: …`. */
export function parseBody(body: string): JsonValue {
  try {
    return parseFirstJsonValue(body);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw apiErrors.badRequestBody(error.message);
    throw error;
  }
}

/**
 * Decodes a proxy object the way Go fills its struct: every field is converted, a wrongly typed one
 * is reported (the first, after the rest were read), unknown keys are ignored.
 */
function decodeProxyObject(value: JsonValue, goType: string): ProxyFields {
  if (value === null) return {};
  if (!(value instanceof JsonObject)) {
    throw apiErrors.badRequestBody(`json: cannot unmarshal ${jsonKindOf(value)} into Go value of type ${goType}`);
  }
  const fields: Record<string, string | boolean> = {};
  let firstError: JsonTypeError | undefined;
  for (const [field, raw] of matchStructFields(value, proxyFieldNames)) {
    try {
      const decoded = decodeGoField(raw, proxyFieldTypes[field as keyof typeof proxyFieldTypes], `Proxy.${field}`);
      if (decoded !== undefined) fields[field] = decoded as string | boolean;
    } catch (error) {
      if (!(error instanceof JsonTypeError)) throw error;
      firstError ??= error;
    }
  }
  if (firstError) throw apiErrors.badRequestBody(firstError.message);
  return fields as ProxyFields;
}

export function decodeProxyBody(body: string): ProxyFields {
  return decodeProxyObject(parseBody(body), 'toxiproxy.Proxy');
}

/** `/populate` takes an array of proxy bodies (JSON null counts as an empty array, as in Go). */
export function decodePopulateBody(body: string): ProxyFields[] {
  const value = parseBody(body);
  if (value === null) return [];
  if (!Array.isArray(value)) {
    throw apiErrors.badRequestBody(`json: cannot unmarshal ${jsonKindOf(value)} into Go value of type []toxiproxy.Proxy`);
  }
  let firstError: ToxiproxyApiError | undefined;
  const entries = value.map((item) => {
    try {
      return decodeProxyObject(item, 'toxiproxy.Proxy');
    } catch (error) {
      if (!(error instanceof ToxiproxyApiError)) throw error;
      firstError ??= error;
      return {};
    }
  });
  if (firstError) throw firstError;
  return entries;
}

/**
 * Names the real server accepts but can never address again, because a URL path cannot carry them
 * as one segment: anything with `/`, and the dot segments that path normalisation removes.
 */
export function unaddressableNameReason(name: string): string | undefined {
  if (name.includes('/')) return `"${name}" contains "/", so no URL could address it`;
  if (name === '.' || name === '..') return `"${name}" is a path segment that URLs normalise away`;
  return undefined;
}

/** Create-proxy checks in the real server's order: name, then upstream (then our name rule). */
export function requireNewProxyFields(fields: ProxyFields, suffix = ''): asserts fields is ProxyFields & { name: string; upstream: string } {
  if (!fields.name) throw apiErrors.missingField(`name${suffix}`);
  if (!fields.upstream) throw apiErrors.missingField(`upstream${suffix}`);
  const reason = unaddressableNameReason(fields.name);
  if (reason) throw apiErrors.invalidProxyName(`${reason}${suffix}`);
}
