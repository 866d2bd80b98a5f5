/**
 * HTTP caching of media responses (RFC 9111, RFC 9110 §13). Originals and thumbnails never change at
 * their URL (an id names one upload's bytes; the first thumbnail stays), so browsers and the CDN edge may
 * keep them; only a delete ends them, which a cache learns at its next revalidation (browsers: after
 * max-age; the edge: after the topology's `cdn.ttlSeconds`, its own TTL, whatever max-age says).
 */

/** How long a browser may reuse a media item without asking (1 h). */
export const MEDIA_MAX_AGE_SECONDS = 3600;
/** Originals and ready thumbnails: public, so the edge and shared caches may store them without a session. */
export const CACHEABLE = `public, max-age=${MEDIA_MAX_AGE_SECONDS}`;
/** Info changes (the thumbnail becomes ready, the item is deleted): store it, but revalidate every time. The edge never caches it. */
export const REVALIDATE = 'no-cache';
/** Errors and not-ready answers: never stored anywhere, so the next request asks again. */
export const NEVER_STORE = 'no-store';

/**
 * Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 §13.1.2 wants for
 * If-None-Match): `*`, or any listed tag equal to it once a `W/` prefix is dropped from both.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return value.split(',').some((tag) => opaque(tag) === wanted);
}
