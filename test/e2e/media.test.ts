import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_MEDIA_BYTES, type MediaInfo } from '#libs/contracts';
import sharp from 'sharp';
import { jsonOf } from '../support/faultline-cli.js';
import { ApiClient } from './support/api-client.js';
import { startLab, type RunningLab } from './support/running-lab.js';

/**
 * Media on the running `minimal` lab: an upload through the entrypoint (the DC's load balancer, which has
 * no geo front in front of it) to a gateway, NATS, the media service and the owner's shard; reads that
 * the load balancer sends through the DC's nginx edge (MISS, then HIT); the edge's counts in the lab's
 * status; and the thumbnail, which the worker makes.
 */

const THUMBNAIL_DEADLINE_MS = 30_000;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly ms: number;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('media on the running minimal lab', () => {
  let lab: RunningLab;
  let entrypoint: string;
  let token: string;
  let image: Buffer;
  let media: MediaInfo;

  beforeAll(async () => {
    lab = await startLab({ profile: 'minimal', portBase: 30000 });
    entrypoint = lab.status.entrypoint;
    const api = new ApiClient(entrypoint);
    const email = `media-${randomUUID().slice(0, 8)}@example.org`;
    const password = 'correct horse battery';
    expect((await api.request('POST', '/v1/users', { email, password, name: 'Grace' })).status).toBe(201);
    const session = await api.request<{ token: string }>('POST', '/v1/sessions', { email, password });
    expect(session.status).toBe(201);
    token = session.body.token;
    // A real image, so that the worker's resize has something to decode.
    image = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 30, g: 120, b: 200 } } })
      .png()
      .toBuffer();
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  async function send(method: string, path: string, init: { body?: FormData; headers?: Record<string, string>; base?: string } = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${init.base ?? entrypoint}${path}`, {
      method,
      headers: { 'x-request-id': `e2e-media-${randomUUID()}`, ...init.headers },
      ...(init.body && { body: init.body }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  }

  const upload = (data: Buffer, type = 'image/png', filename = 'sky.png') => {
    const form = new FormData();
    form.append('file', new Blob([data], { type }), filename);
    return send('POST', '/v1/media', { body: form, headers: { authorization: `Bearer ${token}` } });
  };

  const json = <T>(answer: Answer): T => JSON.parse(answer.body.toString('utf8')) as T;

  it('uploads an image through the entrypoint: 201 with the item and its Location', async () => {
    const answer = await upload(image);
    expect(answer.status).toBe(201);
    media = json<MediaInfo>(answer);
    expect(media).toMatchObject({ contentType: 'image/png', size: image.length, sha256: sha256(image), filename: 'sky.png', thumbnail: { status: 'pending' } });
    expect(answer.headers.get('location')).toBe(`/v1/media/${media.id}`);
  });

  it('reads it through the edge: a MISS that fills the cache, then HITs with the same bytes and validators', async () => {
    const first = await send('GET', `/v1/media/${media.id}`);
    expect([first.status, first.headers.get('x-cache'), first.headers.get('x-served-by-dc')]).toEqual([200, 'MISS', 'dc-a']);
    expect(first.body.equals(image)).toBe(true);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('etag')).toBe(`"${sha256(image)}"`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=3600');

    const second = await send('GET', `/v1/media/${media.id}`);
    expect([second.status, second.headers.get('x-cache')]).toEqual([200, 'HIT']);
    expect(second.body.equals(image)).toBe(true);
    expect([second.headers.get('etag'), second.headers.get('cache-control')]).toEqual([first.headers.get('etag'), 'public, max-age=3600']);

    // The edge answers a conditional request itself.
    const conditional = await send('GET', `/v1/media/${media.id}`, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect([conditional.status, conditional.headers.get('x-cache'), conditional.body.length]).toEqual([304, 'HIT', 0]);
  });

  it('counts the edge\'s answers by X-Cache in the lab status', async () => {
    const status = jsonOf<{ components: { id: string; kind: string; detail: string | null }[] }>(await lab.cli('status', '--json'));
    const edge = status.components.find((c) => c.kind === 'cdn-edge')!;
    expect(edge.detail).toMatch(/^X-Cache HIT [2-9]\d*, MISS [1-9]\d* \(hit ratio \d+%\)$/);
  });

  it('measures an edge HIT against the origin (reported, not asserted: the machine is shared)', async () => {
    // A noisy picture compresses badly: about 1 MB of PNG.
    const large = await sharp({ create: { width: 600, height: 600, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .png()
      .toBuffer();
    const uploaded = await upload(large, 'image/png', 'noise.png');
    expect(uploaded.status).toBe(201);
    const gateway = [...lab.gateways.values()][0]!;
    const report: string[] = [];
    for (const [id, size] of [
      [media.id, image.length],
      [json<MediaInfo>(uploaded).id, large.length],
    ] as const) {
      await send('GET', `/v1/media/${id}`); // fills the edge
      const viaEdge: number[] = [];
      const origin: number[] = [];
      for (let i = 0; i < 15; i++) {
        const hit = await send('GET', `/v1/media/${id}`);
        expect([hit.status, hit.headers.get('x-cache'), hit.body.length]).toEqual([200, 'HIT', size]);
        viaEdge.push(hit.ms);
        const direct = await send('GET', `/v1/media/${id}`, { base: gateway });
        expect([direct.status, direct.headers.get('x-cache'), direct.body.length]).toEqual([200, null, size]);
        origin.push(direct.ms);
      }
      report.push(`${size} bytes: edge HIT through the LB ${median(viaEdge).toFixed(1)} ms, a gateway directly ${median(origin).toFixed(1)} ms`);
    }
    console.log(`media GET, median of 15 (gateway directly = NATS → media service → shard replica): ${report.join('; ')}`);
  });

  it('refuses a file above the size limit with 413 and what is not an image with 415, each with a clear error', async () => {
    const tooLarge = await upload(Buffer.concat([image, Buffer.alloc(MAX_MEDIA_BYTES)]));
    expect(tooLarge.status).toBe(413);
    expect(json(tooLarge)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('at most 8 MiB') } });
    const notAnImage = await upload(Buffer.from('%PDF-1.7 not an image'), 'image/png', 'report.png');
    expect(notAnImage.status).toBe(415);
    expect(json(notAnImage)).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('judged by its content') } });
  });

  it('answers an unknown item with 404 that the edge does not keep', async () => {
    const unknown = await send('GET', `/v1/media/${randomUUID()}`);
    expect([unknown.status, unknown.headers.get('cache-control'), unknown.headers.get('x-cache')]).toEqual([404, 'no-store', 'MISS']);
  });

  // Needs the worker (MediaUploaded → thumbnail job → media.thumbnail.attach): fails until it is in the lab.
  it(`shows the thumbnail within ${THUMBNAIL_DEADLINE_MS / 1000} s (made by the worker)`, async () => {
    const deadline = Date.now() + THUMBNAIL_DEADLINE_MS;
    const seen = new Set<string>();
    for (;;) {
      const answer = await send('GET', `/v1/media/${media.id}/thumbnail`);
      if (answer.status === 200) {
        expect(answer.headers.get('content-type')).toMatch(/^image\//);
        const meta = await sharp(answer.body).metadata();
        expect(meta.width).toBe(160);
        const info = json<MediaInfo>(await send('GET', `/v1/media/${media.id}/info`));
        expect(info.thumbnail).toMatchObject({ status: 'ready', width: 160, height: 90 });
        return;
      }
      // Not ready: 404 THUMBNAIL_PENDING, never cached by the edge.
      const code = (json<{ error: { code: string } }>(answer).error.code);
      seen.add(`${answer.status} ${code} ${answer.headers.get('cache-control')}`);
      expect([answer.status, code, answer.headers.get('cache-control')]).toEqual([404, 'THUMBNAIL_PENDING', 'no-store']);
      if (Date.now() > deadline) throw new Error(`no thumbnail within ${THUMBNAIL_DEADLINE_MS} ms (answers: ${[...seen].join('; ')}); is the worker making them?`);
      // The answer says when to ask again.
      await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? 1) * 1000));
    }
  }, THUMBNAIL_DEADLINE_MS + 30_000);
});
