/** The fields of a server error the store acts on, whether pg's DatabaseError or TypeORM's QueryFailedError around it. */
export interface PgErrorFields {
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
}

export function pgErrorFields(error: unknown): PgErrorFields {
  if (typeof error !== 'object' || error === null) return {};
  const driverError = (error as { driverError?: unknown }).driverError;
  const source = (typeof driverError === 'object' && driverError !== null ? driverError : error) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return { code: text(source.code), constraint: text(source.constraint), detail: text(source.detail) };
}
