import type { z } from 'zod';
import type { DocumentIssue, LineOf } from './document-issue.js';
import { documentErrorMap } from './document-error-map.js';
import { parseYamlOrJsonWithLines } from './parse-yaml-or-json.js';

export type Validated<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly issues: readonly DocumentIssue[] };

/**
 * Zod's issues as document issues: a dotted path, a message saying what to write, and the line when known.
 * An unknown-fields issue (one for the object, listing the keys) becomes one issue per key, at that key's line.
 */
export function issuesWithLines(issues: readonly z.core.$ZodIssue[], lineOf?: LineOf): DocumentIssue[] {
  const withLines = issues.flatMap((issue) => {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path): DocumentIssue => {
      const line = lineOf?.(path);
      return { path: path.map(String).join('.'), message: issue.message, ...(line ? { line } : {}) };
    });
  });
  // In the order of the text (zod reports an object's unknown fields after its nested ones); stable otherwise.
  return withLines.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

/** Validates a value already in memory (a TS-authored document, or parsed text with its `lineOf`). */
export function validateDocument<S extends z.ZodType>(schema: S, value: unknown, lineOf?: LineOf): Validated<z.output<S>> {
  const parsed = schema.safeParse(value, { error: documentErrorMap });
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issues: issuesWithLines(parsed.error.issues, lineOf) };
}

/** Parses YAML or JSON text and validates it; syntax errors and schema errors alike come back with their lines. */
export function validateDocumentText<S extends z.ZodType>(schema: S, text: string): Validated<z.output<S>> {
  const parsed = parseYamlOrJsonWithLines(text);
  return parsed.ok ? validateDocument(schema, parsed.value, parsed.lineOf) : parsed;
}
