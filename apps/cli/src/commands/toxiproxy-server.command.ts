import { Command, InvalidArgumentError } from 'commander';
import {
  normalizeServerArgs,
  parseConfigFlag,
  parseHostFlag,
  parsePortFlag,
  parseSeedFlag,
  ServerFlagError,
  startFaultProxyServer,
  TOXIPROXY_API_VERSION,
  type FaultProxyServer,
} from '#libs/fault-proxy';
import { untilStopSignal } from '../stop-signal.js';

interface ToxiproxyServerOptions {
  host: string;
  port: number;
  config?: string;
  seed?: number;
  proxyMetrics?: boolean;
  runtimeMetrics?: boolean;
  version?: boolean;
}

/** Commander reads `-host` as `-h -o -s -t`; the real binary's single-dash long flags are rewritten first. */
class ToxiproxyServerCommand extends Command {
  override parseOptions(argv: string[]): ReturnType<Command['parseOptions']> {
    try {
      return super.parseOptions(normalizeServerArgs(argv));
    } catch (error) {
      if (error instanceof ServerFlagError) this.error(`error: ${error.message}`, { code: 'faultline.invalidFlag' });
      throw error;
    }
  }
}

/** Turns a flag validator into a commander argument parser whose message says what to type. */
const flagParser =
  <T>(parse: (value: string) => T) =>
  (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof ServerFlagError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };

export function registerToxiproxyServer(program: Command): void {
  const command = new ToxiproxyServerCommand('toxiproxy-server').copyInheritedSettings(program);
  command
    .summary('Run a Toxiproxy-compatible fault proxy server (a drop-in for toxiproxy-server)')
    .description(
      'Run a Toxiproxy-compatible fault proxy: a drop-in for the real toxiproxy-server binary (same HTTP API on ' +
        'port 8474, same flags, same toxics), so any Toxiproxy client — toxiproxy-node-client, toxiproxy-cli, the ' +
        'Go/Ruby/Java clients — can create proxies and inject latency, bandwidth limits, timeouts and resets.',
    )
    .option('--host <address>', 'address the API listens on; also -host (the API is loopback-only unless you say otherwise)', flagParser(parseHostFlag), '127.0.0.1')
    .option('--port <port>', 'port the API listens on, 0 for any free port; also -port', flagParser(parsePortFlag), 8474)
    .option('--config <file>', 'JSON file of proxies to create at start (the body POST /populate takes); also -config', flagParser(parseConfigFlag))
    .option('--seed <n>', 'seed for toxicity rolls and jitter, to make a run repeatable; also -seed', flagParser(parseSeedFlag))
    .option('--proxy-metrics', 'accepted for compatibility (-proxy-metrics): GET /metrics is always served')
    .option('--runtime-metrics', 'add process memory figures to GET /metrics; also -runtime-metrics')
    .option('--version', 'print the Toxiproxy API version this server implements, and exit; also -version')
    .addHelpText(
      'after',
      `
Flags take the real binary's form (-host 127.0.0.1, -port=8474, -proxy-metrics) or the usual --host/--port.

Examples:
  faultline toxiproxy-server                                serve on http://127.0.0.1:8474
  faultline toxiproxy-server -port 0                        any free port; the ready line tells which
  faultline toxiproxy-server -host 0.0.0.0 -config proxies.json

  # then, from any Toxiproxy client (here plain HTTP):
  curl -X POST 127.0.0.1:8474/proxies -d '{"name":"pg","listen":"127.0.0.1:15432","upstream":"127.0.0.1:5432"}'
  curl -X POST 127.0.0.1:8474/proxies/pg/toxics -d '{"type":"latency","attributes":{"latency":200}}'
  curl -X POST 127.0.0.1:8474/proxies/pg -d '{"enabled":false}'     # the dependency is down
  curl -X POST 127.0.0.1:8474/reset                                  # every proxy up, every toxic gone

proxies.json is an array like [{"name":"pg","listen":"127.0.0.1:15432","upstream":"127.0.0.1:5432"}].
Toxics: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop.
Beyond the real server: GET /events?since=<id> lists every change with a millisecond timestamp, and
GET /metrics gives bytes, connections and toxics per proxy in Prometheus text.

It prints one line when ready ("faultline toxiproxy-server listening on http://…") and serves until
SIGINT or SIGTERM, then closes every listener and connection and exits 0. faultline itself uses the
server FAULTLINE_TOXIPROXY_URL names (a real Toxiproxy, say) and this one otherwise.`,
    )
    .action(async (options: ToxiproxyServerOptions) => {
      if (options.version) {
        process.stdout.write(`toxiproxy-server version ${TOXIPROXY_API_VERSION} (faultline)\n`);
        return;
      }
      const server = await start(options);
      process.stdout.write(`faultline toxiproxy-server listening on ${server.url}\n`);
      await untilStopSignal();
      await server.close();
      process.exitCode = 0;
    });
  program.addCommand(command);
}

async function start(options: ToxiproxyServerOptions): Promise<FaultProxyServer> {
  try {
    return await startFaultProxyServer({
      host: options.host,
      port: options.port,
      config: options.config,
      seed: options.seed,
      runtimeMetrics: options.runtimeMetrics ?? false,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`cannot listen on ${options.host}:${options.port}: the address is in use (another toxiproxy-server?); pick another with -port`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new Error(`cannot listen on ${options.host}:${options.port}: no such address on this machine; try -host 127.0.0.1`);
    }
    throw error;
  }
}
