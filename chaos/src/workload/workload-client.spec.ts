import { describe, expect, it } from '@jest/globals';
import { completedOperations } from '../history/completed-operations.js';
import { HistoryRecorder } from '../history/history.recorder.js';
import { mulberry32 } from './prng.js';
import { WorkloadClient } from './workload-client.js';
import type { ApiAnswer, ApiRequest, WorkloadHttp } from './workload-http.js';

type Handler = (request: ApiRequest) => ApiAnswer | Promise<ApiAnswer> | Error;

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): ApiAnswer => ({ status, body, headers: new Headers({ 'x-served-by': 'dc-a.gateway-1', ...headers }) });

/** A fake API: the handler answers, or throws the error it returns; every request is kept. */
function fakeHttp(handler: Handler): { http: WorkloadHttp; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const http = {
    async send(request: ApiRequest) {
      requests.push(request);
      const result = await handler(request);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as WorkloadHttp;
  return { http, requests };
}

/** A well-behaved API: ids per registration, versions counting up per user. */
function happyApi(): Handler {
  const versions = new Map<string, number>();
  let users = 0;
  return (request) => {
    if (request.path === '/v1/users') {
      const id = `00000000-0000-4000-8000-00000000000${users++}`;
      versions.set(id, 1);
      return answer(201, { id });
    }
    if (request.path === '/v1/sessions') return answer(201, { token: 'tok', userId: 'x' });
    if (request.path === '/v1/media') return answer(201, { id: 'm-1', version: 1 });
    const id = request.path.split('/').pop()!;
    if (request.method === 'PATCH') versions.set(id, versions.get(id)! + 1);
    return answer(200, { id, name: (request.json as { name?: string } | undefined)?.name ?? 'n', version: versions.get(id) }, { 'x-profile-source': 'primary' });
  };
}

const client = (handler: Handler, recorder = new HistoryRecorder(() => 0)) => {
  const fake = fakeHttp(handler);
  const c = new WorkloadClient({ index: 1, clients: 4, http: fake.http, recorder, random: mulberry32(1), runTag: 'tag', region: 'us', shardOf: () => 1 });
  return { c, recorder, requests: fake.requests };
};

describe('WorkloadClient', () => {
  it("fetches one of its own uploads through the edge, without a session, recording the edge's X-Cache; uploads first when it has none", async () => {
    const api = happyApi();
    const { c, recorder, requests } = client((request) => (request.method === 'GET' && request.path === '/v1/media/m-1' ? answer(200, 'png bytes', { 'x-cache': 'STALE' }) : api(request)));
    await c.run('register');
    await c.run('login');
    await c.run('fetch'); // nothing uploaded yet: uploads
    await c.run('fetch');
    expect(requests.map((r) => `${r.method} ${r.path}`).slice(2)).toEqual(['POST /v1/media', 'GET /v1/media/m-1']);
    expect(requests.at(-1)!.token).toBeUndefined();
    const fetched = completedOperations(recorder.entries).at(-1)!;
    expect(fetched).toMatchObject({ f: 'fetch', type: 'ok', value: { mediaId: 'm-1', cache: 'STALE', shard: 1 } });
  });

  it('registers first, logs in, then updates with a unique name per write and reads its own user', async () => {
    const { c, recorder, requests } = client(happyApi());
    await c.run('read'); // no user yet: registers
    await c.run('update'); // no session yet: logs in
    await c.run('update');
    await c.run('update');
    await c.run('read');
    expect(requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, ':id')}`)).toEqual(['POST /v1/users', 'POST /v1/sessions', 'PATCH /v1/users/:id', 'PATCH /v1/users/:id', 'GET /v1/users/:id']);
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(requests.length);
    expect(requests.every((r) => r.region === 'us')).toBe(true);
    const ops = completedOperations(recorder.entries);
    expect(ops.map((op) => [op.f, op.type])).toEqual([
      ['register', 'ok'],
      ['login', 'ok'],
      ['update', 'ok'],
      ['update', 'ok'],
      ['read', 'ok'],
    ]);
    const updates = ops.filter((op) => op.f === 'update');
    expect(updates[0]!.value.name).not.toBe(updates[1]!.value.name);
    expect(updates.map((op) => op.value.version)).toEqual([2, 3]);
    expect(ops[0]!.value).toMatchObject({ userId: expect.any(String), version: 1, shard: 1, servedBy: 'dc-a.gateway-1', status: 201 });
    expect(ops[4]!.value).toMatchObject({ version: 3, source: 'primary', shard: 1 });
  });

  it('records a timeout as info and goes on as a new process; a refusal as fail', async () => {
    let call = 0;
    const api = happyApi();
    const { c, recorder } = client((request) => {
      call++;
      if (call === 3) return Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      if (call === 4) return answer(409, { error: { code: 'CONFLICT', message: 'no' } });
      return api(request);
    });
    await c.run('register');
    await c.run('login');
    expect(c.processId).toBe(1);
    await c.run('update');
    expect(c.processId).toBe(5);
    await c.run('update');
    const ops = completedOperations(recorder.entries);
    expect(ops.map((op) => [op.process, op.f, op.type, op.error?.code])).toEqual([
      [1, 'register', 'ok', undefined],
      [1, 'login', 'ok', undefined],
      [1, 'update', 'info', 'TIMEOUT'],
      [5, 'update', 'fail', 'CONFLICT'],
    ]);
  });

  it('drops the session on a 401, so that the next operation logs in again', async () => {
    let unauthorized = true;
    const api = happyApi();
    const { c, requests } = client((request) => {
      if (request.method === 'GET' && unauthorized) {
        unauthorized = false;
        return answer(401, { error: { code: 'UNAUTHENTICATED', message: 'expired' } });
      }
      return api(request);
    });
    await c.run('register');
    await c.run('login');
    await c.run('read');
    await c.run('read');
    expect(requests.map((r) => r.path.startsWith('/v1/users/') ? 'user' : r.path)).toEqual(['/v1/users', '/v1/sessions', 'user', '/v1/sessions']);
  });

  it('uploads a real image as multipart and records the media id', async () => {
    const { c, recorder, requests } = client(happyApi());
    await c.run('register');
    await c.run('login');
    await c.run('upload');
    expect(requests[2]!.form).toBeInstanceOf(FormData);
    expect(completedOperations(recorder.entries)[2]!.value).toMatchObject({ mediaId: 'm-1', version: 1, userId: expect.any(String) });
  });
});
