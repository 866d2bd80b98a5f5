import { tcpExchange } from './tcp-exchange.js';

/** PING in the Redis protocol; any reply other than +PONG (e.g. -LOADING) counts as not ready. */
export async function redisPing(host: string, port: number, timeoutMs = 1000): Promise<void> {
  const reply = await tcpExchange(host, port, { write: 'PING\r\n', done: (r) => r.includes('\r\n'), timeoutMs });
  if (!reply.startsWith('+PONG')) throw new Error(`redis answered ${JSON.stringify(reply.trim())}`);
}
