import { fieldIssuesOf } from '#libs/contracts';
import type { z } from 'zod';
import { RequestValidationError } from './api.errors.js';

/**
 * Validates a body or path parameters against a schema; every offending field is reported at once.
 * An unknown key is reported under its own name, so `{"nmae": "x"}` says which field is wrong.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: prefix + [...issue.path.map(String), key].join('.'), message: 'is not a known field' }))
      : fieldIssuesOf({ issues: [issue] } as z.ZodError).map((field) => ({ ...field, field: prefix + field.field })),
  );
  throw new RequestValidationError(fields);
}
