/**
 * A one-line reason and code for whatever a client library rejected with. Node reports a refused
 * connection to a name with several addresses as an AggregateError with an empty message, and
 * some libraries reject with plain strings; neither may end up as an empty `error` in /health.
 */
export function describeError(error: unknown): { message: string; code?: string } {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    const inner = error.errors.map((each) => describeError(each));
    return { message: [...new Set(inner.map((each) => each.message))].join('; '), code: inner[0]?.code };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      message: error.message !== '' ? error.message : error.name,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { message: String(error) };
}
