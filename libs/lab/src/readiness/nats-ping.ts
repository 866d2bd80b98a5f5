import { tcpExchange } from './tcp-exchange.js';

/** A NATS server is ready when it sends INFO and answers PING with PONG. */
export async function natsPing(host: string, port: number, timeoutMs = 1000): Promise<void> {
  await tcpExchange(host, port, {
    write: 'CONNECT {"verbose":false,"pedantic":false}\r\nPING\r\n',
    done: (r) => r.includes('PONG\r\n'),
    timeoutMs,
  });
}
