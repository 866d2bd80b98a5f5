import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { apiErrors } from '../api/api-error.js';
import { AddressError, describeBindError, formatBoundAddress, parseUpstream, resolveListenTarget, type ListenTarget } from './address.js';
import { ProxyConnection, type ConnectionTraffic } from './proxy-connection.js';
import { ToxicCollection } from './toxic-collection.js';
import { toxicToJson, type ToxicDefinition, type ToxicJson } from './toxic-definition.js';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicJson[];
}

// Go enables TCP_NODELAY and 15 s keep-alives on every connection; so do we.
const socketOptions = { noDelay: true, keepAlive: true, keepAliveInitialDelay: 15_000 } as const;

const zeroTraffic: ConnectionTraffic = { upstreamReceived: 0, upstreamSent: 0, downstreamReceived: 0, downstreamSent: 0 };

/**
 * One proxy: a listener on `listen` that dials `upstream` for each client and joins the two through
 * its toxics. Disabled, it has no listener and no connections; its toxics stay.
 */
export class FaultProxy {
  readonly toxics = new ToxicCollection();
  private server: Server | null = null;
  private readonly connections = new Set<ProxyConnection>();
  /** Clients accepted while their upstream is still being dialled. */
  private readonly dialing = new Map<Socket, Socket>();
  private closedTraffic: ConnectionTraffic = zeroTraffic;
  private accepted = 0;

  constructor(
    readonly name: string,
    public listen: string,
    public upstream: string,
    private readonly random: () => number,
  ) {}

  get enabled(): boolean {
    return this.server !== null;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  get acceptedConnections(): number {
    return this.accepted;
  }

  /** Bytes through this proxy so far: finished connections plus the live ones' socket counters. */
  get traffic(): ConnectionTraffic {
    let total = this.closedTraffic;
    for (const connection of this.connections) total = addTraffic(total, connection.traffic);
    return total;
  }

  /** Binds `listen` and reports the real address back into it (port 0 becomes the chosen port). */
  async start(): Promise<void> {
    if (this.server) return;
    let target: ListenTarget;
    try {
      target = await resolveListenTarget(this.listen);
    } catch (error) {
      if (error instanceof AddressError) throw apiErrors.bindFailed(`listen tcp: ${error.message}`);
      throw error;
    }
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, ...socketOptions }, this.accept);
    await this.bind(server, target);
    // After binding, an 'error' is an accept failure (EMFILE…): the listener carries on, as in Go.
    server.on('error', () => {});
    this.listen = formatBoundAddress(server.address() as AddressInfo);
    this.server = server;
  }

  /** Closes the listener and every connection (clients see their socket close). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const [client, upstream] of this.dialing) {
      client.destroy();
      upstream.destroy();
    }
    this.dialing.clear();
    for (const connection of [...this.connections]) connection.destroy();
    await closed;
  }

  /**
   * The real server's update: a changed listen or upstream restarts the proxy (connections dropped,
   * toxics kept), then `enabled` is applied. A failed bind leaves the proxy disabled.
   */
  async update(target: { listen: string; upstream: string; enabled: boolean }): Promise<void> {
    if (target.listen !== this.listen || target.upstream !== this.upstream) {
      await this.stop();
      this.listen = target.listen;
      this.upstream = target.upstream;
    }
    if (target.enabled && !this.enabled) await this.start();
    else if (!target.enabled && this.enabled) await this.stop();
  }

  addToxic(toxic: ToxicDefinition): void {
    this.toxics.add(toxic);
    for (const connection of this.connections) connection.addToxic(toxic);
  }

  updateToxic(toxic: ToxicDefinition): void {
    this.toxics.replace(toxic);
    for (const connection of this.connections) connection.updateToxic(toxic);
  }

  removeToxic(name: string): ToxicDefinition | undefined {
    const toxic = this.toxics.remove(name);
    if (toxic) for (const connection of [...this.connections]) connection.removeToxic(toxic);
    return toxic;
  }

  toJSON(): ProxyJson {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.list().map(toxicToJson),
    };
  }

  private bind(server: Server, target: ListenTarget): Promise<void> {
    const attempt = (host: string | undefined): Promise<void> =>
      new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException): void => {
          server.removeListener('listening', onListening);
          reject(error);
        };
        const onListening = (): void => {
          server.removeListener('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen({ host, port: target.port });
      });
    const fail = (error: NodeJS.ErrnoException): never => {
      throw apiErrors.bindFailed(describeBindError(this.listen, error));
    };
    return attempt(target.host).catch((error: NodeJS.ErrnoException) => {
      // A wildcard on a host without IPv6 falls back to IPv4, as Go does.
      if (target.host === undefined && (error.code === 'EAFNOSUPPORT' || error.code === 'EADDRNOTAVAIL')) {
        return attempt('0.0.0.0').catch(fail);
      }
      return fail(error);
    });
  }

  private readonly accept = (client: Socket): void => {
    this.accepted++;
    client.on('error', () => {});
    let target: { host: string; port: number };
    try {
      target = parseUpstream(this.upstream);
    } catch {
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true, ...socketOptions });
    this.dialing.set(client, upstream);
    const onDialError = (): void => {
      // The real server closes the client when the upstream cannot be reached.
      this.dialing.delete(client);
      client.destroy();
      upstream.destroy();
    };
    upstream.once('error', onDialError);
    upstream.once('connect', () => {
      upstream.removeListener('error', onDialError);
      this.dialing.delete(client);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      const connection = new ProxyConnection(client, upstream, this.toxics, this.random, this.onConnectionClosed);
      if (!connection.isClosed) this.connections.add(connection);
    });
  };

  private readonly onConnectionClosed = (connection: ProxyConnection): void => {
    if (!this.connections.delete(connection)) return;
    this.closedTraffic = addTraffic(this.closedTraffic, connection.traffic);
  };
}

function addTraffic(a: ConnectionTraffic, b: ConnectionTraffic): ConnectionTraffic {
  return {
    upstreamReceived: a.upstreamReceived + b.upstreamReceived,
    upstreamSent: a.upstreamSent + b.upstreamSent,
    downstreamReceived: a.downstreamReceived + b.downstreamReceived,
    downstreamSent: a.downstreamSent + b.downstreamSent,
  };
}
