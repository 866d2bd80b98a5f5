/**
 * The subject on which a service instance also answers a request pattern for callers in its own data center:
 * `dc.<dc>.<pattern>`. A NATS cluster spreads a queue group's requests over all members cluster-wide, so
 * without it half of a gateway's calls crossed to the other data center — slower, and served from the other
 * DC's cache, which this DC's writes do not invalidate (a read after your own write could come back stale).
 * Callers ask their own DC first and fall back to the plain pattern (any DC) when nobody answers there.
 */
export const localSubject = (dc: string, pattern: string): string => `dc.${dc}.${pattern}`;
