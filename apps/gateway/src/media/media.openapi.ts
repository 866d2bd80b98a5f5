import { ACCEPTED_MEDIA_TYPES, MAX_MEDIA_BYTES, THUMBNAIL_WIDTH } from '#libs/contracts';
import { MEDIA_MAX_AGE_SECONDS } from './http-cache.js';

type Json = Record<string, unknown>;

/** What the media paths take from the document's own building blocks. */
interface Parts {
  readonly errorResponse: (description: string) => Json;
  readonly common: Json;
  readonly authenticated: Json;
  readonly idempotencyKey: Json;
}

const mediaId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ifNoneMatch = { name: 'If-None-Match', in: 'header', required: false, description: 'An ETag from an earlier answer: 304 if it still holds.', schema: { type: 'string' } };
const header = (description: string, type = 'string') => ({ description, schema: { type } });
const cacheHeaders = {
  ETag: header('Strong validator: the content\'s SHA-256, quoted.'),
  'Cache-Control': header(`\`public, max-age=${MEDIA_MAX_AGE_SECONDS}\`: the bytes at this URL never change; caches, the CDN edge included, may share them.`),
  'X-Cache': header('Through the CDN edge (every media read through the lab\'s entrypoint): HIT, MISS, EXPIRED, STALE, UPDATING or REVALIDATED.'),
};
const bytes = (description: string) => ({
  description,
  headers: cacheHeaders,
  content: Object.fromEntries(ACCEPTED_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
});
const notModified = { description: 'The client\'s copy (If-None-Match) is current.', headers: { ETag: cacheHeaders.ETag } };
const mediaInfo = (description: string, headers: Json = {}) => ({
  description,
  headers,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/MediaInfo' } } },
});
const noStore = { 'Cache-Control': header('`no-store`: error answers are never cached.') };

/** The media paths and schemas of the public API (merged into `openApiDocument`). */
export const mediaOpenApi = {
  schemas: {
    MediaInfo: {
      type: 'object',
      required: ['id', 'ownerId', 'contentType', 'size', 'sha256', 'uploadedAt', 'thumbnail', 'version'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        ownerId: { type: 'string', format: 'uuid' },
        contentType: { enum: [...ACCEPTED_MEDIA_TYPES], description: 'What the content is (sniffed from its first bytes), not what the upload declared.' },
        size: { type: 'integer', description: 'Bytes.' },
        sha256: { type: 'string', description: 'Hex SHA-256 of the content (also its ETag).' },
        filename: { type: 'string', description: 'The uploaded file\'s name, without any path.' },
        uploadedAt: { type: 'string', format: 'date-time' },
        thumbnail: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { enum: ['pending', 'ready'], description: `The worker makes a ${THUMBNAIL_WIDTH} px wide thumbnail after the upload.` },
            width: { type: 'integer' },
            height: { type: 'integer' },
            size: { type: 'integer' },
            contentType: { type: 'string' },
          },
        },
        version: { type: 'integer', description: 'The version of the item\'s event stream this reflects.' },
      },
    },
  },

  paths: ({ errorResponse, common, authenticated, idempotencyKey }: Parts): Json => ({
    '/v1/media': {
      post: {
        summary: 'Upload an image',
        description:
          `multipart/form-data with the image in the field \`file\`, at most ${MAX_MEDIA_BYTES} bytes, one of ${ACCEPTED_MEDIA_TYPES.join(', ')} ` +
          '(judged by the content\'s magic bytes; the declared type is ignored). Stored on the owner\'s shard with its events, in one transaction.',
        security: [{ session: [] }],
        parameters: [idempotencyKey],
        requestBody: {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } },
        },
        responses: {
          '201': mediaInfo('Stored; the thumbnail is pending.', { Location: header('`/v1/media/<id>`') }),
          '413': errorResponse(`\`PAYLOAD_TOO_LARGE\`: the file is larger than ${MAX_MEDIA_BYTES} bytes.`),
          '415': errorResponse('`UNSUPPORTED_MEDIA_TYPE`: not multipart, or the content is not an accepted image.'),
          '409': errorResponse('The Idempotency-Key was used for another upload.'),
          ...authenticated,
          ...common,
        },
      },
    },
    '/v1/media/{id}': {
      get: {
        summary: 'The original image (public: no session needed, cacheable by the CDN edge)',
        parameters: [mediaId, ifNoneMatch],
        responses: { '200': bytes('The bytes, as uploaded.'), '304': notModified, '404': { ...errorResponse('No such item (or deleted).'), headers: noStore }, ...common },
      },
      delete: {
        summary: 'Delete one\'s own image',
        description: 'Copies already cached (the CDN edge, browsers) live on until their TTL / max-age.',
        security: [{ session: [] }],
        parameters: [mediaId, idempotencyKey],
        responses: { '204': { description: 'Deleted (also when it already was).' }, '403': errorResponse('Not your item.'), '404': errorResponse('No such item.'), ...authenticated, ...common },
      },
    },
    '/v1/media/{id}/thumbnail': {
      get: {
        summary: `The ${THUMBNAIL_WIDTH} px wide thumbnail (public)`,
        parameters: [mediaId, ifNoneMatch],
        responses: {
          '200': bytes('The thumbnail.'),
          '304': notModified,
          '404': {
            ...errorResponse('`THUMBNAIL_PENDING`: the item exists, its thumbnail is being made — retry after `Retry-After`; `NOT_FOUND`: no such item.'),
            headers: { ...noStore, 'Retry-After': header('Seconds (THUMBNAIL_PENDING).', 'integer') },
          },
          ...common,
        },
      },
    },
    '/v1/media/{id}/info': {
      get: {
        summary: 'The item\'s metadata (public)',
        parameters: [mediaId, ifNoneMatch],
        responses: {
          '200': mediaInfo('The item; `Cache-Control: no-cache` (it changes when the thumbnail is ready): revalidate with its ETag (the version).', {
            ETag: header('`"v<version>"`'),
          }),
          '304': { description: 'Unchanged since the ETag sent.' },
          '404': { ...errorResponse('No such item (or deleted).'), headers: noStore },
          ...common,
        },
      },
    },
  }),
};
