import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pgQuery } from '#libs/lab';
import { faultlineBin, isRunning, jsonOf, repoRoot } from '../support/faultline-cli.js';
import { healedEntries } from './support/fault-history.js';
import { startLab, type RunningLab } from './support/running-lab.js';

/**
 * `faultline fault` on the running minimal lab: a fault's effect on a connection that is already open,
 * healing, refusals that list valid names, and the ledger undoing the fault of a runner killed with
 * SIGKILL at the next faultline command.
 */

interface FaultJson {
  id: string;
  kind: string;
  label: string;
  links: string[];
  component: string | null;
  injectedAt: string | null;
  expiresAt: string | null;
}

const LINK = 'dc-a.gateway-1->dc-a.redis';
/** Each test runs several faultline commands (a Node start each, ~1-2 s on this machine). */
const CLI_TEST_TIMEOUT_MS = 90_000;

/** A Redis connection through one link's proxy, timing PING round trips on the same socket. */
class RedisPinger {
  private buffer = '';
  private waiting: (() => void) | undefined;

  /** Resolves when the connection is closed (by either end). */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      if (this.buffer.includes('+PONG\r\n')) {
        this.buffer = this.buffer.replace('+PONG\r\n', '');
        this.waiting?.();
      }
    });
  }

  static open(address: string): Promise<RedisPinger> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host: host!, port: Number(port) }, () => resolve(new RedisPinger(socket)));
      socket.once('error', reject);
    });
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      this.waiting = resolve;
      this.socket.write('PING\r\n');
    });
    return performance.now() - started;
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('faultline fault on the running minimal lab', () => {
  let lab: RunningLab;
  let listen: string;

  beforeAll(async () => {
    lab = await startLab({ profile: 'minimal', portBase: 32000 });
    const status = jsonOf<{ links: { name: string; listen: string }[] }>(await lab.cli('status', '--json'));
    listen = status.links.find((l) => l.name === LINK)!.listen;
  }, 300_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  it('adds latency to a connection that is already open, and takes it away again on heal', async () => {
    const redis = await RedisPinger.open(listen);
    try {
      const before = await redis.ping();
      const injectedAt = performance.now();
      const injected = await lab.cli('fault', 'inject', 'latency', '--link', LINK, '--ms', '300', '--json');
      expect(injected.code).toBe(0);
      const fault = jsonOf<{ fault: FaultJson }>(injected).fault;
      expect(fault).toMatchObject({ kind: 'latency', links: [LINK], injectedAt: expect.any(String) });
      const commandMs = performance.now() - injectedAt;
      const slow = await redis.ping();
      expect(slow).toBeGreaterThanOrEqual(290);

      const listed = jsonOf<{ faults: FaultJson[] }>(await lab.cli('fault', 'list', '--json')).faults;
      expect(listed.map((f) => f.id)).toEqual([fault.id]);
      const status = jsonOf<{ links: { name: string; faulted: boolean }[] }>(await lab.cli('status', '--json'));
      expect(status.links.filter((l) => l.faulted).map((l) => l.name)).toEqual([LINK]);

      const healStarted = performance.now();
      expect((await lab.cli('fault', 'heal', fault.id)).code).toBe(0);
      const healCommandMs = performance.now() - healStarted;
      const after = await redis.ping();
      expect(after).toBeLessThan(100);
      process.stdout.write(
        `faults: PING ${before.toFixed(2)} ms → ${slow.toFixed(1)} ms with latency 300 ms (inject command ${commandMs.toFixed(0)} ms, ` +
          `effective on the open connection's next request) → ${after.toFixed(2)} ms after heal (heal command ${healCommandMs.toFixed(0)} ms)\n`,
      );
      expect(jsonOf<{ faults: FaultJson[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
    } finally {
      redis.close();
    }
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses a selector that matches nothing, and an unknown component, listing what exists', async () => {
    const noLink = await lab.cli('fault', 'inject', 'latency', '--link', 'dc-a->dc-z');
    expect(noLink.code).toBe(2);
    expect(noLink.stderr).toMatch(/matches no link/);
    expect(noLink.stderr).toContain('dc-a.redis');
    const noComponent = await lab.cli('fault', 'kill', 'dc-a.gatway-1');
    expect(noComponent.code).toBe(2);
    expect(noComponent.stderr).toContain('dc-a.gateway-1');
    const onlyOneDc = await lab.cli('fault', 'partition', 'dc-a', 'dc-b');
    expect(onlyOneDc.code).toBe(2);
    expect(onlyOneDc.stderr).toMatch(/not a data center/);
    expect(jsonOf<{ faults: FaultJson[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
  }, CLI_TEST_TIMEOUT_MS);

  it('undoes the fault of a runner killed with SIGKILL at the next faultline command', async () => {
    const redis = await RedisPinger.open(listen);
    try {
      // A runner that would heal the fault after a minute: it is killed long before.
      const runner = spawn(process.execPath, [faultlineBin, 'fault', 'inject', 'timeout', '--link', LINK, '--duration', '60s', '--json', '--state-dir', lab.stateDir], {
        cwd: repoRoot,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const injected = await new Promise<string>((resolve, reject) => {
        let out = '';
        runner.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out);
        });
        runner.once('exit', (code) => reject(new Error(`the runner exited (${String(code)}) before injecting`)));
      });
      const fault = (JSON.parse(injected.trim()) as { fault: FaultJson }).fault;
      // The blackhole swallows the PING: no answer while the fault is there.
      const early = await Promise.race([redis.ping().then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('held'), 300))]);
      expect(early).toBe('held');

      runner.kill('SIGKILL');
      await new Promise((resolve) => runner.once('exit', resolve));
      expect(isRunning(runner.pid!)).toBe(false);

      // The next command heals it and says so (the lab's dashboard leaves faults with an owner to the CLI).
      const next = await lab.cli('status', '--json');
      expect(next.stderr).toContain(`healed ${fault.id}`);
      expect(jsonOf<{ faults: FaultJson[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
      expect(healedEntries(lab.stateDir, fault.id)).toEqual([expect.objectContaining({ reason: 'orphaned' })]);
      // Removing a blackhole closes the connections it held (Toxiproxy's contract); new ones work at once.
      await redis.closed;
      const fresh = await RedisPinger.open(listen);
      try {
        expect(await fresh.ping()).toBeLessThan(100);
      } finally {
        fresh.close();
      }
    } finally {
      redis.close();
    }
  }, CLI_TEST_TIMEOUT_MS);

  it('pauses and kills a component, and healing brings it back healthy', async () => {
    const paused = jsonOf<{ fault: FaultJson }>(await lab.cli('fault', 'pause', 'dc-a.gateway-2', '--json')).fault;
    const whilePaused = jsonOf<{ components: { id: string; healthy: boolean }[] }>(await lab.cli('status', '--json'));
    expect(whilePaused.components.find((c) => c.id === 'dc-a.gateway-2')!.healthy).toBe(false);
    expect((await lab.cli('fault', 'heal', paused.id)).code).toBe(0);

    const killed = jsonOf<{ fault: FaultJson }>(await lab.cli('fault', 'kill', 'dc-a.gateway-2', '--json')).fault;
    const pidBefore = lab.status.components.find((c) => c.id === 'dc-a.gateway-2')!.pid!;
    expect(isRunning(pidBefore)).toBe(false);
    expect((await lab.cli('fault', 'heal', '--all')).code).toBe(0);
    const after = jsonOf<{ healthy: boolean; components: { id: string; healthy: boolean; pid: number }[] }>(await lab.cli('status', '--json'));
    const gateway = after.components.find((c) => c.id === 'dc-a.gateway-2')!;
    expect(gateway.healthy).toBe(true);
    expect(gateway.pid).not.toBe(pidBefore);
    expect(after.healthy).toBe(true);
    expect(killed.kind).toBe('kill');
  }, CLI_TEST_TIMEOUT_MS);

  it('restarts a component: a clean stop, a new process, healthy again, nothing left in the ledger', async () => {
    const pidBefore = jsonOf<{ components: { id: string; pid: number }[] }>(await lab.cli('status', '--json')).components.find((c) => c.id === 'dc-a.gateway-2')!.pid;
    const restarted = jsonOf<{ fault: FaultJson; seconds: number }>(await lab.cli('fault', 'restart', 'dc-a.gateway-2', '--json'));
    expect(restarted.fault).toMatchObject({ kind: 'restart', component: 'dc-a.gateway-2' });
    expect(isRunning(pidBefore)).toBe(false);
    const after = jsonOf<{ components: { id: string; healthy: boolean; pid: number }[] }>(await lab.cli('status', '--json'));
    const gateway = after.components.find((c) => c.id === 'dc-a.gateway-2')!;
    expect(gateway).toMatchObject({ healthy: true });
    expect(gateway.pid).not.toBe(pidBefore);
    expect(jsonOf<{ faults: unknown[] }>(await lab.cli('fault', 'list', '--json')).faults).toEqual([]);
    const unknown = await lab.cli('fault', 'restart', 'dc-a.gateway-9');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no component "dc-a.gateway-9".*valid names: .*dc-a.gateway-1/);
  }, CLI_TEST_TIMEOUT_MS);

  it("makes a shard's replication asynchronous and synchronous again, and refuses a shard that does not exist", async () => {
    const syncNames = async (): Promise<string[]> => {
      const status = jsonOf<{ components: { id: string; role: string | null; address: string }[] }>(await lab.cli('status', '--json'));
      const node = status.components.find((c) => c.role === 'primary' && c.id.startsWith('shard0-'))!;
      const [host, port] = node.address.split(':');
      return (await pgQuery({ host: host!, port: Number(port) }, "select current_setting('synchronous_standby_names') as names")).map((r) => String(r['names']));
    };
    expect(await syncNames()).not.toEqual(['']);
    const fault = jsonOf<{ fault: FaultJson & { shard: number } }>(await lab.cli('fault', 'async-replication', '0', '--json')).fault;
    expect(fault).toMatchObject({ kind: 'async-replication', shard: 0 });
    // Applied means in effect: the primary waits for no standby.
    expect(await syncNames()).toEqual(['']);
    expect((await lab.cli('fault', 'heal', fault.id)).code).toBe(0);
    expect(await syncNames()).not.toEqual(['']);
    const unknown = await lab.cli('fault', 'async-replication', '7');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no shard "7" in this lab; shards: 0');
  }, CLI_TEST_TIMEOUT_MS);
});
