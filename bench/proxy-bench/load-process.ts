import { connect, createServer, type Server, type Socket } from 'node:net';
import type { BulkResult, LatencyResult, LoadCommand, LoadReady, LoadRequest, LoadResponse, RoundTripResult } from './protocol.js';

// The benchmark's second process: the upstream servers and the load generator, kept away from the
// proxy's process so the proxy has a core of its own. Everything talks over 127.0.0.1.

const host = '127.0.0.1';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Bulk sink: the first 8 bytes of a connection announce the total; one byte answers its arrival. */
function startSink(): Server {
  return createServer({ noDelay: true }, (socket) => {
    let expected = -1;
    let received = 0;
    let header = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (data: Buffer) => {
      if (expected < 0) {
        header = Buffer.concat([header, data]);
        if (header.length < 8) return;
        expected = Number(header.readBigUInt64BE(0));
        received = header.length - 8;
      } else {
        received += data.length;
      }
      if (received >= expected) socket.write('k');
    });
  });
}

function startEcho(): Server {
  return createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
}

async function bulk(port: number, bytes: number): Promise<BulkResult> {
  const socket = await open(port);
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(bytes));
  const done = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  const start = process.hrtime.bigint();
  socket.write(header);
  let sent = 0;
  while (sent < bytes) {
    const piece = bytes - sent >= block.length ? block : block.subarray(0, bytes - sent);
    sent += piece.length;
    if (!socket.write(piece)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await done;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  socket.destroy();
  return { ms };
}

async function roundTrips(port: number, connections: number, durationMs: number, messageBytes: number): Promise<RoundTripResult> {
  const sockets = await Promise.all(Array.from({ length: connections }, () => open(port)));
  const message = Buffer.alloc(messageBytes, 0x61);
  let counting = false;
  let count = 0;
  let running = true;
  for (const socket of sockets) {
    let pending = 0;
    socket.on('data', (data: Buffer) => {
      pending -= data.length;
      if (pending > 0) return;
      if (counting) count++;
      if (!running) return;
      pending = messageBytes;
      socket.write(message);
    });
    pending = messageBytes;
    socket.write(message);
  }
  // A short warm-up, then a fixed window.
  await new Promise((resolve) => setTimeout(resolve, 300));
  counting = true;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const total = count;
  running = false;
  for (const socket of sockets) socket.destroy();
  return { roundTrips: total, ms, loadCpuBusy: (used.user + used.system) / 1000 / ms };
}

async function latency(port: number, samples: number, messageBytes: number): Promise<LatencyResult> {
  const socket = await open(port);
  const message = Buffer.alloc(messageBytes, 0x62);
  const times: number[] = [];
  const warmUp = Math.ceil(samples / 10);
  await new Promise<void>((resolve) => {
    let pending = 0;
    let started = 0n;
    const send = (): void => {
      pending = messageBytes;
      started = process.hrtime.bigint();
      socket.write(message);
    };
    socket.on('data', (data: Buffer) => {
      pending -= data.length;
      if (pending > 0) return;
      times.push(Number(process.hrtime.bigint() - started) / 1e3);
      if (times.length >= samples + warmUp) resolve();
      else send();
    });
    send();
  });
  socket.destroy();
  return { samplesUs: times.slice(warmUp).sort((a, b) => a - b) };
}

const idle: Socket[] = [];

async function openIdle(port: number, connections: number): Promise<void> {
  for (let i = 0; i < connections; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, connections - i) }, () => open(port)));
    // One round trip each, so the proxy has dialled its upstream side too.
    await Promise.all(
      batch.map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.once('data', () => resolve());
            socket.write('i');
          }),
      ),
    );
    idle.push(...batch);
  }
}

async function run(command: LoadCommand): Promise<unknown> {
  switch (command.kind) {
    case 'bulk':
      return bulk(command.port, command.bytes);
    case 'round-trips':
      return roundTrips(command.port, command.connections, command.durationMs, command.messageBytes);
    case 'latency':
      return latency(command.port, command.samples, command.messageBytes);
    case 'open-idle':
      return openIdle(command.port, command.connections);
    case 'close-idle':
      for (const socket of idle.splice(0)) socket.destroy();
      return undefined;
    case 'exit':
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

async function main(): Promise<void> {
  const echoServer = startEcho();
  const sinkServer = startSink();
  const ready: LoadReady = { kind: 'ready', echoPort: await listen(echoServer), sinkPort: await listen(sinkServer) };
  process.on('message', (request: LoadRequest) => {
    run(request.command).then(
      (result) => process.send!({ id: request.id, result } satisfies LoadResponse),
      (error: Error) => process.send!({ id: request.id, error: error.message } satisfies LoadResponse),
    );
  });
  // The proxy process going away (even killed) must not leave this one behind.
  process.on('disconnect', () => process.exit(0));
  process.send!(ready);
}

await main();
