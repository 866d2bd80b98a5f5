import { apiErrors, ToxiproxyApiError } from '../api/api-error.js';
import { requireNewProxyFields, type ProxyFields } from '../api/proxy-input.js';
import type { EventLog, ProxyEventType } from '../events/event-log.js';
import { sameListenAddress } from './address.js';
import { FaultProxy } from './fault-proxy.js';
import { toxicToJson, type ToxicDefinition } from './toxic-definition.js';

export interface PopulateOutcome {
  /** The proxies created, replaced or kept, in input order, up to the first failure. */
  readonly proxies: FaultProxy[];
  readonly error?: ToxiproxyApiError;
}

/** Go's map order for JSON: keys sorted by their UTF-8 bytes. */
const byNameBytes = (a: FaultProxy, b: FaultProxy): number => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

/**
 * Every proxy by name, and every change to them — each change is also written to the event log.
 * Callers serialise calls (the API handles one request at a time), as the real server's locks do.
 */
export class ProxyRegistry {
  private readonly proxies = new Map<string, FaultProxy>();

  constructor(
    private readonly events: EventLog,
    private readonly random: () => number,
  ) {}

  list(): FaultProxy[] {
    return [...this.proxies.values()].sort(byNameBytes);
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw apiErrors.proxyNotFound();
    return proxy;
  }

  /** Create: required fields, then the name clash (before binding), then the bind. */
  async create(fields: ProxyFields): Promise<FaultProxy> {
    requireNewProxyFields(fields);
    if (this.proxies.has(fields.name)) throw apiErrors.proxyExists();
    const proxy = new FaultProxy(fields.name, fields.listen ?? '', fields.upstream, this.random);
    if (fields.enabled ?? true) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    this.recordProxy('proxy.created', proxy);
    return proxy;
  }

  /** Update: absent fields keep their values; `name` is ignored. */
  async update(name: string, fields: ProxyFields): Promise<FaultProxy> {
    const proxy = this.get(name);
    const before = { listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled };
    const target = {
      listen: fields.listen ?? proxy.listen,
      upstream: fields.upstream ?? proxy.upstream,
      enabled: fields.enabled ?? proxy.enabled,
    };
    try {
      await proxy.update(target);
    } finally {
      if (target.listen !== before.listen || target.upstream !== before.upstream) this.recordProxy('proxy.updated', proxy);
      if (proxy.enabled !== before.enabled) this.recordProxy(proxy.enabled ? 'proxy.enabled' : 'proxy.disabled', proxy);
    }
    return proxy;
  }

  async delete(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.proxies.delete(name);
    this.recordProxy('proxy.deleted', proxy);
  }

  /**
   * Populate: every entry is checked for name and upstream before anything changes; then each is
   * applied in order, stopping at the first failure (earlier ones stay applied).
   */
  async populate(entries: readonly ProxyFields[]): Promise<PopulateOutcome> {
    entries.forEach((entry, index) => requireNewProxyFields(entry, ` at proxy ${index + 1}`));
    const proxies: FaultProxy[] = [];
    for (const entry of entries) {
      try {
        proxies.push(await this.addOrReplace(entry as ProxyFields & { name: string; upstream: string }));
      } catch (error) {
        if (error instanceof ToxiproxyApiError) return { proxies, error };
        throw error;
      }
    }
    return { proxies };
  }

  /** Re-enables every proxy and removes every toxic; a failed bind stops the reset there. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      if (!proxy.enabled) {
        await proxy.start();
        this.recordProxy('proxy.enabled', proxy);
      }
      for (const toxic of proxy.toxics.list()) this.removeToxic(proxy, toxic.name);
    }
  }

  addToxic(proxy: FaultProxy, toxic: ToxicDefinition): void {
    proxy.addToxic(toxic);
    this.recordToxic('toxic.added', proxy, toxic);
  }

  updateToxic(proxy: FaultProxy, toxic: ToxicDefinition): void {
    proxy.updateToxic(toxic);
    this.recordToxic('toxic.updated', proxy, toxic);
  }

  removeToxic(proxy: FaultProxy, name: string): void {
    const removed = proxy.removeToxic(name);
    if (!removed) throw apiErrors.toxicNotFound();
    this.recordToxic('toxic.removed', proxy, removed);
  }

  /** Stops every proxy (server shutdown); the proxies stay defined but nothing listens. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.stop()));
  }

  /**
   * An existing proxy with the same listen and upstream is kept as is (toxics and all); otherwise
   * it is stopped and replaced. If the new one cannot bind, the old one stays, stopped — as in Go.
   */
  private async addOrReplace(entry: ProxyFields & { name: string; upstream: string }): Promise<FaultProxy> {
    const listen = entry.listen ?? '';
    const existing = this.proxies.get(entry.name);
    if (existing) {
      if (sameListenAddress(existing.listen, listen) && existing.upstream === entry.upstream) return existing;
      const wasEnabled = existing.enabled;
      await existing.stop();
      if (wasEnabled) this.recordProxy('proxy.disabled', existing);
    }
    const proxy = new FaultProxy(entry.name, listen, entry.upstream, this.random);
    if (entry.enabled ?? true) await proxy.start();
    if (existing) this.recordProxy('proxy.deleted', existing);
    this.proxies.set(proxy.name, proxy);
    this.recordProxy('proxy.created', proxy);
    return proxy;
  }

  private recordProxy(type: ProxyEventType, proxy: FaultProxy): void {
    this.events.record({ type, proxy: proxy.name, listen: proxy.listen, upstream: proxy.upstream, enabled: proxy.enabled });
  }

  private recordToxic(type: 'toxic.added' | 'toxic.updated' | 'toxic.removed', proxy: FaultProxy, toxic: ToxicDefinition): void {
    this.events.record({ type, proxy: proxy.name, toxic: toxicToJson(toxic) });
  }
}
