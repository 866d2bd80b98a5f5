import type { HistoryRecorder } from '../history/history.recorder.js';
import type { OperationKind, OperationValue } from '../history/operation.js';
import { classifyAnswer, classifyRequestError, type Outcome } from './outcome.js';
import { randomInt, type Random } from './prng.js';
import { SAMPLE_PNG } from './sample-image.js';
import type { ApiAnswer, ApiRequest, WorkloadHttp } from './workload-http.js';

/** A user this client registered, with its credentials and its current session. */
interface OwnUser {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  token?: string;
  /** Media this client uploaded for the user (acknowledged): what a fetch reads. */
  readonly media: string[];
}

export interface WorkloadClientOptions {
  /** Client number, 0-based: its first process id. */
  readonly index: number;
  /** How many clients run: a client's later process ids step by this. */
  readonly clients: number;
  readonly http: WorkloadHttp;
  readonly recorder: HistoryRecorder;
  readonly random: Random;
  /** Unique per run: emails, names and request ids embed it, so runs on one lab never collide. */
  readonly runTag: string;
  readonly region?: string;
  /** The shard a user (and its media) lives on, for recovery per shard. */
  readonly shardOf?: (userId: string) => number | undefined;
  /** Called after every completion (live statistics). */
  readonly onComplete?: (f: OperationKind, outcome: Outcome, latencyMs: number) => void;
}

const PASSWORD_LENGTH = 16;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const int = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined);
const field = (body: unknown, name: string): unknown => (body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined);

/**
 * One Jepsen-style client: a single thread of operations against the API, each recorded as invoke then
 * ok / fail / info. After an info (the outcome is unknown, the operation may still be running somewhere)
 * the client continues as a new process, as Jepsen does, so that no process has two operations that may
 * overlap. It registers its own users and reads and updates only them, which makes read-your-writes
 * meaningful per process; every update writes a name never written before (the checkers find writes by it).
 */
export class WorkloadClient {
  private process: number;
  private seq = 0;
  private readonly users: OwnUser[] = [];
  private busy = false;

  constructor(private readonly options: WorkloadClientOptions) {
    this.process = options.index;
  }

  get idle(): boolean {
    return !this.busy;
  }

  get processId(): number {
    return this.process;
  }

  /**
   * Runs one operation; resolves when it completed (never rejects). An operation that needs a user when the
   * client has none registers one instead; one that needs a session when the user has none logs in instead.
   */
  async run(chosen: OperationKind): Promise<void> {
    this.busy = true;
    try {
      const user = this.users.length === 0 ? undefined : this.users[randomInt(this.options.random, this.users.length)]!;
      if (!user || chosen === 'register') return await this.register();
      if (chosen === 'fetch') {
        // Media needs no session; a client that uploaded nothing yet uploads instead.
        const owners = this.users.filter((u) => u.media.length > 0);
        const owner = owners.length === 0 ? undefined : owners[randomInt(this.options.random, owners.length)]!;
        if (owner) return await this.fetch(owner, owner.media[randomInt(this.options.random, owner.media.length)]!);
      }
      if (chosen === 'login' || !user.token) return await this.login(user);
      if (chosen === 'update') return await this.update(user);
      if (chosen === 'read') return await this.read(user);
      return await this.upload(user);
    } finally {
      this.busy = false;
    }
  }

  private nextRequestId(f: OperationKind): string {
    return `chaos-${this.options.runTag}-${this.options.index}-${++this.seq}-${f}`;
  }

  private shard(userId: string | undefined): { shard?: number } {
    const shard = userId === undefined ? undefined : this.options.shardOf?.(userId);
    return shard === undefined ? {} : { shard };
  }

  private async register(): Promise<void> {
    const requestId = this.nextRequestId('register');
    const email = `${requestId}@chaos.example.org`;
    const password = `pw-${requestId}`.slice(0, 64).padEnd(PASSWORD_LENGTH, 'x');
    const name = `n-${requestId}`;
    await this.perform('register', { requestId, email, name }, { method: 'POST', path: '/v1/users', requestId, json: { email, password, name } }, (answer) => {
      const userId = str(field(answer.body, 'id'));
      if (userId) this.users.push({ userId, email, password, media: [] });
      return { ...(userId && { userId }), version: 1, ...this.shard(userId) };
    });
  }

  private async login(user: OwnUser): Promise<void> {
    const requestId = this.nextRequestId('login');
    await this.perform(
      'login',
      { requestId, userId: user.userId, email: user.email, ...this.shard(user.userId) },
      { method: 'POST', path: '/v1/sessions', requestId, json: { email: user.email, password: user.password } },
      (answer) => {
        const token = str(field(answer.body, 'token'));
        if (token) user.token = token;
        return {};
      },
    );
  }

  private async update(user: OwnUser): Promise<void> {
    const requestId = this.nextRequestId('update');
    const name = `n-${requestId}`;
    await this.perform(
      'update',
      { requestId, userId: user.userId, name, ...this.shard(user.userId) },
      { method: 'PATCH', path: `/v1/users/${user.userId}`, requestId, json: { name }, ...(user.token && { token: user.token }) },
      (answer) => this.profileValue(answer),
      user,
    );
  }

  private async read(user: OwnUser): Promise<void> {
    const requestId = this.nextRequestId('read');
    await this.perform(
      'read',
      { requestId, userId: user.userId, ...this.shard(user.userId) },
      { method: 'GET', path: `/v1/users/${user.userId}`, requestId, ...(user.token && { token: user.token }) },
      (answer) => {
        const name = str(field(answer.body, 'name'));
        return { ...this.profileValue(answer), ...(name !== undefined && { name }) };
      },
      user,
    );
  }

  private async upload(user: OwnUser): Promise<void> {
    const requestId = this.nextRequestId('upload');
    const form = new FormData();
    form.append('file', new Blob([SAMPLE_PNG], { type: 'image/png' }), `${requestId}.png`);
    await this.perform(
      'upload',
      { requestId, userId: user.userId, ...this.shard(user.userId) },
      { method: 'POST', path: '/v1/media', requestId, form, ...(user.token && { token: user.token }) },
      (answer) => {
        const mediaId = str(field(answer.body, 'id'));
        const version = int(field(answer.body, 'version'));
        if (mediaId) user.media.push(mediaId);
        return { ...(mediaId && { mediaId }), ...(version !== undefined && { version }) };
      },
      user,
    );
  }

  /** A media item's bytes, as a browser gets them: through the entrypoint and the DC's CDN edge, no session. */
  private async fetch(owner: OwnUser, mediaId: string): Promise<void> {
    const requestId = this.nextRequestId('fetch');
    await this.perform('fetch', { requestId, userId: owner.userId, mediaId, ...this.shard(owner.userId) }, { method: 'GET', path: `/v1/media/${mediaId}`, requestId }, (answer) => {
      const cache = answer.headers.get('x-cache') ?? undefined;
      return { mediaId, ...(cache && { cache }) };
    });
  }

  private profileValue(answer: ApiAnswer): OperationValue {
    const version = int(field(answer.body, 'version'));
    const source = answer.headers.get('x-profile-source') ?? undefined;
    return { ...(version !== undefined && { version }), ...(source && { source }) };
  }

  /**
   * Invoke, send, classify, complete. The completion records what the answer said (status, served-by, the
   * ids and version it reported) and the latency; a 401 drops the session so the next operation logs in.
   */
  private async perform(f: OperationKind, value: OperationValue, request: Omit<ApiRequest, 'region'>, onOk: (answer: ApiAnswer) => OperationValue, user?: OwnUser): Promise<void> {
    const { recorder, http, region } = this.options;
    const pending = recorder.invoke(this.process, f, { ...value, ...(region && { region }) });
    const started = performance.now();
    let outcome: Outcome;
    let result: OperationValue = {};
    try {
      const answer = await http.send({ ...request, ...(region && { region }) });
      outcome = classifyAnswer(f, answer.status, answer.body);
      const servedBy = answer.headers.get('x-served-by') ?? undefined;
      result = { status: answer.status, ...(servedBy && { servedBy }) };
      if (outcome.type === 'ok') result = { ...result, ...onOk(answer) };
      if (answer.status === 401 && user) delete user.token;
    } catch (error) {
      outcome = classifyRequestError(error);
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    result = { ...result, latencyMs };
    if (outcome.type === 'ok') pending.ok(result);
    else if (outcome.type === 'fail') pending.fail(outcome.error, result);
    else pending.info(outcome.error, result);
    this.options.onComplete?.(f, outcome, latencyMs);
    // Jepsen: a process whose operation is indefinite is retired; the client goes on as a fresh one.
    if (outcome.type === 'info') this.process += this.options.clients;
  }
}
