import toxiproxyClient, { type ICreateProxyBody, type Proxy, type Toxic, type ToxicDirection, type ToxicType } from 'toxiproxy-node-client';
import { callApi, statusOf } from './client-errors.js';
import { FaultProxyEventsReader } from './events-reader.js';
import { toxiproxyUrlFromEnv } from './toxiproxy-url.js';

const { Toxiproxy } = toxiproxyClient;

type ToxiproxyInstance = InstanceType<typeof Toxiproxy>;

/** A toxic to add; everything but the type has the real server's default. */
export interface ToxicSpec<Attributes = Record<string, number>> {
  readonly type: ToxicType | 'noop';
  /** Defaults to `<type>_<stream>`, the name the server would give it. */
  readonly name?: string;
  readonly stream?: ToxicDirection;
  readonly toxicity?: number;
  readonly attributes?: Attributes;
}

export interface ToxicChange<Attributes = Record<string, number>> {
  /** Merged key by key into the current attributes. */
  readonly attributes?: Partial<Attributes>;
  readonly toxicity?: number;
}

/**
 * The one way faultline talks to a fault proxy: toxiproxy-node-client against whichever server
 * FAULTLINE_TOXIPROXY_URL names (faultline's own by default), so a real Toxiproxy works unchanged.
 * Failures are FaultProxyRequestError with the HTTP status when there was one.
 */
export class FaultProxyClient {
  readonly toxiproxy: ToxiproxyInstance;

  constructor(readonly url: string = toxiproxyUrlFromEnv()) {
    this.toxiproxy = new Toxiproxy(url);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): FaultProxyClient {
    return new FaultProxyClient(toxiproxyUrlFromEnv(env));
  }

  /** The server's version string (`2.12.0`); older servers answered plain text, newer ones JSON. */
  async version(): Promise<string> {
    const text = await this.call('read the version', () => this.toxiproxy.getVersion());
    try {
      const parsed = JSON.parse(text) as { version?: unknown };
      if (typeof parsed.version === 'string') return parsed.version;
    } catch {
      // plain-text answer
    }
    return text.trim();
  }

  async proxies(): Promise<Proxy[]> {
    return Object.values(await this.call('list proxies', () => this.toxiproxy.getAll()));
  }

  /** The proxy, or undefined when the server has none by that name. */
  async proxy(name: string): Promise<Proxy | undefined> {
    try {
      return await this.toxiproxy.get(name);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      return this.call(`read proxy ${name}`, () => Promise.reject(error));
    }
  }

  async createProxy(body: ICreateProxyBody): Promise<Proxy> {
    return this.call(`create proxy ${body.name}`, () => this.toxiproxy.createProxy(body));
  }

  /**
   * Creates or replaces proxies in one call; a proxy whose listen and upstream are unchanged is left
   * alone with its toxics. Answers in input order.
   */
  async populate(bodies: readonly ICreateProxyBody[]): Promise<Proxy[]> {
    const byName = await this.call('populate proxies', () => this.toxiproxy.populate([...bodies]));
    return bodies.map((body) => byName[body.name]!).filter((proxy) => proxy !== undefined);
  }

  /** Deletes the proxy; false when there was none. */
  async deleteProxy(name: string): Promise<boolean> {
    const proxy = await this.proxy(name);
    if (!proxy) return false;
    await this.call(`delete proxy ${name}`, () => proxy.remove());
    return true;
  }

  /** Taking a dependency down is disabling its proxy: the listener and every connection close. */
  async setEnabled(name: string, enabled: boolean): Promise<Proxy> {
    const proxy = await this.requireProxy(name);
    return this.call(`${enabled ? 'enable' : 'disable'} proxy ${name}`, () =>
      proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream }),
    );
  }

  async addToxic<Attributes>(proxyName: string, spec: ToxicSpec<Attributes>): Promise<Toxic<Attributes>> {
    const proxy = await this.requireProxy(proxyName);
    const stream = spec.stream ?? 'downstream';
    const body = {
      name: spec.name ?? `${spec.type}_${stream}`,
      type: spec.type as ToxicType,
      stream,
      toxicity: spec.toxicity ?? 1,
      attributes: (spec.attributes ?? {}) as Attributes,
    };
    return this.call(`add toxic ${body.name} to ${proxyName}`, () => proxy.addToxic(body));
  }

  async updateToxic<Attributes>(proxyName: string, toxicName: string, change: ToxicChange<Attributes>): Promise<Toxic<Attributes>> {
    const proxy = await this.requireProxy(proxyName);
    const toxic = await this.call(`read toxic ${toxicName} of ${proxyName}`, () => proxy.getToxic<Attributes>(toxicName));
    return this.call(`update toxic ${toxicName} of ${proxyName}`, () =>
      toxic.update({
        ...toxic.toJson(),
        attributes: { ...toxic.attributes, ...change.attributes } as Attributes,
        toxicity: change.toxicity ?? toxic.toxicity,
      }),
    );
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    const proxy = await this.requireProxy(proxyName);
    const toxic = await this.call(`read toxic ${toxicName} of ${proxyName}`, () => proxy.getToxic(toxicName));
    await this.call(`remove toxic ${toxicName} from ${proxyName}`, () => toxic.remove());
  }

  /** Re-enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    await this.call('reset', () => this.toxiproxy.reset());
  }

  /** Reads GET /events incrementally; against a real Toxiproxy it reports `supported: false`. */
  events(since = 0): FaultProxyEventsReader {
    return new FaultProxyEventsReader(this.toxiproxy, since);
  }

  private async requireProxy(name: string): Promise<Proxy> {
    return this.call(`read proxy ${name}`, () => this.toxiproxy.get(name));
  }

  private call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return callApi(operation, this.url, run);
  }
}
