import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClientNats } from '@nestjs/microservices';
import { MAX_MEDIA_BYTES, MEDIA_PATTERNS, type MediaInfo, type ServiceReply } from '#libs/contracts';
import { createEventStoreDataSource, ensureEventStoreSchema } from '#libs/event-store';
import { firstValueFrom } from 'rxjs';
import { createGatewayApp } from '../../../apps/gateway/src/gateway.app.js';
import { createMediaApp } from '../../../apps/media/src/media.app.js';
import { ensureMediaSchema } from '../../../apps/media/src/media/media.schema.js';
import { NATS_MAX_PAYLOAD } from '../../../libs/lab/src/components/nats/nats.config.js';
import { startNatsServer, type NatsServer } from '../../support/nats-server.js';
import { startPostgresServer, withFreshDatabase, type FreshDatabase, type PostgresServer } from '../../support/postgres-server.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { boot, type RunningApp } from '../apps/support/app-under-test.js';
import { waitFor } from '../apps/support/services.js';
import { pngOf } from './support/media-test-env.js';

/**
 * The gateway's media routes against the real media service: both apps booted in-process (as main.ts
 * does), over a throwaway NATS (with the lab's max_payload), Redis and Postgres (two single-node shards).
 * Logging in needs the user service only for `user.authenticate`: a stand-in answers it here.
 */

const SETUP_MS = 120_000;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const ADA = { email: 'ada@example.org', userId: randomUUID() };
const EVE = { email: 'eve@example.org', userId: randomUUID() };

let postgres: PostgresServer;
let databases: FreshDatabase[] = [];
let nats: NatsServer;
let redis: RedisServer;
let natsClient: NatsConnection;
let nestClient: ClientNats;
let gateway: RunningApp;
let media: RunningApp;
const tokens = new Map<string, string>();

beforeAll(async () => {
  [postgres, nats, redis] = await Promise.all([startPostgresServer(), startNatsServer({ maxPayload: NATS_MAX_PAYLOAD }), startRedisServer()]);
  databases = [await withFreshDatabase({ url: postgres.url }, 'media_gw_s0'), await withFreshDatabase({ url: postgres.url }, 'media_gw_s1')];
  // The tables up front: the service creates them in the background, and the first request must not race that.
  for (const database of databases) {
    const dataSource = await createEventStoreDataSource({ url: database.url, poolSize: 1 });
    await ensureEventStoreSchema(dataSource);
    await ensureMediaSchema(dataSource);
    await dataSource.destroy();
  }
  natsClient = await connect({ servers: nats.url });
  // The user service's part in logging in.
  natsClient.subscribe('user.authenticate', {
    callback: (_error, message) => {
      const packet = message.json<{ id: string; data: { email: string } }>();
      const user = [ADA, EVE].find((candidate) => candidate.email === packet.data.email);
      const response = user ? { ok: true, value: { userId: user.userId } } : { ok: false, error: { code: 'INVALID_CREDENTIALS', message: 'no' } };
      message.respond(JSON.stringify({ id: packet.id, response, isDisposed: true }));
    },
  });
  media = await boot('media', createMediaApp, { nats: nats.url, shards: databases.map((database) => [database.url]) });
  gateway = await boot('gateway', createGatewayApp, { nats: nats.url, redis: redis.url });
  nestClient = new ClientNats({ servers: [nats.url] });
  await nestClient.connect();
  await natsClient.flush();
  for (const user of [ADA, EVE]) {
    // The gateway connects to NATS and Redis in the background: 503 until it has.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answer = await fetch(`${gateway.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: 'whatever it is' }),
      });
      if (answer.status === 201) {
        tokens.set(user.userId, ((await answer.json()) as { token: string }).token);
        break;
      }
      if (answer.status !== 503 || Date.now() > deadline) throw new Error(`logging in answered ${answer.status}: ${await answer.text()}`);
      await waitFor('the gateway to be healthy', async () => (await gateway.get('/health')).status === 200, 30_000);
    }
  }
}, SETUP_MS);

afterAll(async () => {
  await nestClient?.close();
  await natsClient?.close();
  await gateway?.close();
  await media?.close();
  await Promise.allSettled(databases.map((database) => database.drop()));
  await Promise.allSettled([postgres?.stop(), nats?.stop(), redis?.stop()]);
}, SETUP_MS);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

async function send(method: string, path: string, init: { headers?: Record<string, string>; body?: FormData | string; as?: string } = {}): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { ...(init.as ? { authorization: `Bearer ${tokens.get(init.as)}` } : {}), ...init.headers },
    ...(init.body !== undefined && { body: init.body }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T };
}

const form = (data: Buffer, type = 'image/png', filename = 'picture.png', field = 'file'): FormData => {
  const body = new FormData();
  body.append(field, new Blob([data], { type }), filename);
  return body;
};

const upload = (data: Buffer, options: { type?: string; filename?: string; as?: string; headers?: Record<string, string> } = {}) =>
  send('POST', '/v1/media', { body: form(data, options.type, options.filename), as: options.as ?? ADA.userId, headers: options.headers ?? {} });

/** A chunked multipart upload (no Content-Length): the limit must hold while reading, too. */
function chunkedUpload(size: number, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const boundary = `----faultline${randomUUID()}`;
    const url = new URL(`${gateway.url}/v1/media`);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

/** A PNG of `size` bytes: a real PNG's bytes, padded (the service stores bytes, it does not decode them). */
async function pngOfSize(size: number): Promise<Buffer> {
  const png = await pngOf(64, 48);
  return Buffer.concat([png, Buffer.alloc(size - png.length, 0x5a)]);
}

describe('POST /v1/media', () => {
  it('needs a session (401)', async () => {
    const answer = await send('POST', '/v1/media', { body: form(await pngOf(4, 4)) });
    expect(answer.status).toBe(401);
  });

  it('stores a 3 MB upload (more than NATS allows by default) → 201 with the item and its Location; the type is sniffed, not declared', async () => {
    const data = await pngOfSize(3 * 1024 * 1024);
    const answer = await upload(data, { type: 'application/octet-stream', filename: '../../etc/holiday.png' });
    expect(answer.status).toBe(201);
    const info = answer.json<MediaInfo>();
    expect(info).toMatchObject({ ownerId: ADA.userId, contentType: 'image/png', size: data.length, sha256: sha256(data), filename: 'holiday.png' });
    expect(info.thumbnail).toEqual({ status: 'pending', width: 160 });
    expect(answer.headers.get('location')).toBe(`/v1/media/${info.id}`);
  }, 60_000);

  it('answers a retry with the same Idempotency-Key with the same item', async () => {
    const data = await pngOf(10, 10);
    const key = `upload-${randomUUID()}`;
    const first = await upload(data, { headers: { 'idempotency-key': key } });
    const again = await upload(data, { headers: { 'idempotency-key': key } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.json<MediaInfo>().id).toBe(first.json<MediaInfo>().id);
  });

  it('refuses a file above MAX_MEDIA_BYTES with 413 and a clear error, whether or not Content-Length says so in advance', async () => {
    const tooLarge = await upload(await pngOfSize(MAX_MEDIA_BYTES + 1));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(`at most 8 MiB (${MAX_MEDIA_BYTES} bytes)`) },
      requestId: expect.any(String),
    });
    expect(tooLarge.headers.get('cache-control')).toBe('no-store');
    // Content-Length alone says it: refused before the body is read.
    const wayTooLarge = await upload(await pngOfSize(MAX_MEDIA_BYTES + 1024 * 1024));
    expect(wayTooLarge.status).toBe(413);
    expect(wayTooLarge.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/^the request is too large \(\d+ bytes\)/) } });
    const chunked = await chunkedUpload(MAX_MEDIA_BYTES + 512 * 1024, tokens.get(ADA.userId)!);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('the file is too large') } });
  }, 60_000);

  it('refuses what is not an accepted image with 415, whatever it claims to be, and a body that is not multipart', async () => {
    const script = await upload(Buffer.from('<svg onload="alert(1)"/>'), { type: 'image/png', filename: 'cat.png' });
    expect(script.status).toBe(415);
    expect(script.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('it was sent as image/png') } });
    const json = await send('POST', '/v1/media', { body: JSON.stringify({ file: 'x' }), headers: { 'content-type': 'application/json' }, as: ADA.userId });
    expect([json.status, json.json<{ error: { code: string } }>().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const wrongField = await send('POST', '/v1/media', { body: form(await pngOf(4, 4), 'image/png', 'a.png', 'image'), as: ADA.userId });
    expect([wrongField.status, wrongField.json<{ error: { fields: { field: string }[] } }>().error.fields[0]!.field]).toEqual([400, 'file']);
  });
});

describe('GET /v1/media/:id, /thumbnail, /info (no session needed)', () => {
  let info: MediaInfo;
  let data: Buffer;
  beforeAll(async () => {
    data = await pngOf(40, 30);
    info = (await upload(data, { filename: 'forty.png' })).json<MediaInfo>();
  });

  it('serves the original with its type, a strong ETag, public Cache-Control, and 304 when the client has it', async () => {
    const answer = await send('GET', `/v1/media/${info.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(data)).toBe(true);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(answer.headers.get('etag')).toBe(`"${sha256(data)}"`);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    const again = await send('GET', `/v1/media/${info.id}`, { headers: { 'if-none-match': `"${sha256(data)}"` } });
    expect([again.status, again.body.length, again.headers.get('etag')]).toEqual([304, 0, `"${sha256(data)}"`]);
    const head = await send('HEAD', `/v1/media/${info.id}`);
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(data.length)]);
  });

  it('answers THUMBNAIL_PENDING (404, Retry-After, no-store) until the worker attaches the thumbnail, then serves it', async () => {
    const pending = await send('GET', `/v1/media/${info.id}/thumbnail`);
    expect(pending.status).toBe(404);
    expect(pending.json()).toMatchObject({ error: { code: 'THUMBNAIL_PENDING' } });
    expect([pending.headers.get('retry-after'), pending.headers.get('cache-control')]).toEqual(['1', 'no-store']);

    // The worker's call, as it makes it.
    const thumbnail = await pngOf(16, 12);
    const attached = await firstValueFrom(
      nestClient.send<ServiceReply<{ media: MediaInfo }>>(MEDIA_PATTERNS.attachThumbnail, {
        mediaId: info.id,
        contentType: 'image/png',
        width: 16,
        height: 12,
        dataBase64: thumbnail.toString('base64'),
        requestId: `thumbnail-job-${info.id}`,
      }),
    );
    expect(attached).toMatchObject({ ok: true, value: { media: { thumbnail: { status: 'ready', width: 16, height: 12 } } } });
    const ready = await send('GET', `/v1/media/${info.id}/thumbnail`);
    expect([ready.status, ready.headers.get('etag'), ready.headers.get('cache-control')]).toEqual([200, `"${sha256(thumbnail)}"`, 'public, max-age=3600']);
    expect(ready.body.equals(thumbnail)).toBe(true);
  });

  it('serves the info as JSON, revalidated by its version', async () => {
    const answer = await send('GET', `/v1/media/${info.id}/info`);
    expect(answer.status).toBe(200);
    const current = answer.json<MediaInfo>();
    expect(current).toMatchObject({ id: info.id, filename: 'forty.png', size: data.length });
    expect([answer.headers.get('etag'), answer.headers.get('cache-control')]).toEqual([`"v${current.version}"`, 'no-cache']);
    const again = await send('GET', `/v1/media/${info.id}/info`, { headers: { 'if-none-match': `"v${current.version}"` } });
    expect(again.status).toBe(304);
  });

  it('answers 404 NOT_FOUND (never cached) for an unknown item and 400 for an id that is not one', async () => {
    for (const path of [`/v1/media/${randomUUID()}`, `/v1/media/${randomUUID()}/thumbnail`, `/v1/media/${randomUUID()}/info`]) {
      const answer = await send('GET', path);
      expect([path, answer.status, answer.json<{ error: { code: string } }>().error.code, answer.headers.get('cache-control')]).toEqual([path, 404, 'NOT_FOUND', 'no-store']);
    }
    const invalid = await send('GET', '/v1/media/not-an-id');
    expect([invalid.status, invalid.json<{ error: { fields: { field: string }[] } }>().error.fields[0]!.field]).toEqual([400, 'path.id']);
  });
});

describe('DELETE /v1/media/:id', () => {
  it('lets only the owner delete (403 otherwise, 401 without a session); then the item is gone', async () => {
    const { id } = (await upload(await pngOf(8, 8))).json<MediaInfo>();
    expect((await send('DELETE', `/v1/media/${id}`)).status).toBe(401);
    expect((await send('DELETE', `/v1/media/${id}`, { as: EVE.userId })).status).toBe(403);
    expect((await send('DELETE', `/v1/media/${id}`, { as: ADA.userId })).status).toBe(204);
    expect((await send('GET', `/v1/media/${id}`)).status).toBe(404);
    expect((await send('DELETE', `/v1/media/${id}`, { as: ADA.userId })).status).toBe(204);
  });
});

describe('GET /v1/openapi.json', () => {
  it('describes the media routes', async () => {
    const answer = await send('GET', '/v1/openapi.json');
    const document = answer.json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/media', '/v1/media/{id}', '/v1/media/{id}/thumbnail', '/v1/media/{id}/info']));
    expect(Object.keys(document.paths['/v1/media/{id}']!).sort()).toEqual(['delete', 'get']);
    expect(document.components.schemas.MediaInfo).toBeDefined();
  });
});
