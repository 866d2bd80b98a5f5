import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onFreePort, startChildServer, type ChildServer } from './child-server.js';

/**
 * A throwaway nats-server (the Debian binary the lab runs) on a free loopback port, with its config (and
 * JetStream store, if any) in a temp dir of its own. Stopped by its own pid. `halt()` then `start()`
 * brings it back on the same port and store: a NATS outage the clients reconnect through.
 */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  /** The pid of the current process (changes on restart). */
  readonly pid: number;
  /** SIGTERM (SIGKILL after 5 s), waiting for the exit; the store stays. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** halt() then remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** Plain nats-server by default; each option brings one part of the lab's node config (libs/lab/src/components/nats). */
export interface NatsServerOptions {
  /** JetStream with a file store in the temp dir, sized like the lab's node (the event bus publishes to streams). */
  readonly jetstream?: boolean;
  /** The lab's ping_interval / ping_max (5 s, 2): a dead peer is noticed in seconds, as in the lab. */
  readonly labPings?: boolean;
  /** max_payload, e.g. the lab's NATS_MAX_PAYLOAD for media (default: nats-server's 1 MB). */
  readonly maxPayload?: string;
}

const READY_LINE = /Server is ready/;

function natsConfig(port: number, storeDir: string, options: NatsServerOptions): string {
  const lines = [`listen: "127.0.0.1:${port}"`];
  if (options.labPings) lines.push(`ping_interval: "5s"`, `ping_max: 2`);
  if (options.maxPayload !== undefined) lines.push(`max_payload: ${options.maxPayload}`);
  if (options.jetstream) {
    lines.push(
      `server_name: "test-nats"`,
      'jetstream {',
      `  store_dir: ${JSON.stringify(storeDir)}`,
      '  max_memory_store: 64MB',
      '  max_file_store: 512MB',
      '}',
    );
  }
  return [...lines, ''].join('\n');
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-nats-'));
  const configFile = join(dir, 'nats.conf');
  let port = 0;
  let running: ChildServer | undefined;

  const start = async (): Promise<void> => {
    running = await startChildServer({ name: 'nats-server', command: ['nats-server', '-c', configFile], readyLine: READY_LINE });
  };

  try {
    await onFreePort(async (free) => {
      port = free;
      writeFileSync(configFile, natsConfig(port, join(dir, 'store'), options));
      await start();
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const halt = async (): Promise<void> => {
    const current = running;
    running = undefined;
    await current?.stop('SIGTERM', 5_000);
  };

  let stopping: Promise<void> | undefined;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      if (!running) throw new Error('nats-server is not running');
      return running.pid;
    },
    halt,
    start,
    stop: () =>
      (stopping ??= (async () => {
        await halt();
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}
