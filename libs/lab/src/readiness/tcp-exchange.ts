import { createConnection } from 'node:net';

/**
 * Opens a TCP connection, optionally writes a request, and resolves with what was read once `done`
 * accepts it. Rejects on connect errors, on close before `done`, or after `timeoutMs`.
 */
export function tcpExchange(
  host: string,
  port: number,
  options: { write?: string; done: (received: string) => boolean; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    let received = '';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(received);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port} within ${options.timeoutMs ?? 1000} ms`)), options.timeoutMs ?? 1000);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (options.write) socket.write(options.write);
      if (options.done('')) finish();
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (options.done(received)) finish();
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error(`${host}:${port} closed the connection`)));
  });
}

export const tcpOpen = (host: string, port: number, timeoutMs = 1000): Promise<void> =>
  tcpExchange(host, port, { done: () => true, timeoutMs }).then(() => undefined);
