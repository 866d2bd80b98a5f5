import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { PinoNestLogger } from './pino-nest.logger.js';

function capture(level = 'trace') {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = new PinoNestLogger(pino({ level, base: null, formatters: { level: (label) => ({ level: label }) } }, destination));
  return { logger, lines };
}

describe('PinoNestLogger', () => {
  it('writes Nest messages with their context at the matching level', () => {
    const { logger, lines } = capture();

    logger.log('Nest application successfully started', 'NestApplication');
    logger.verbose('detail', 'RouterExplorer');

    expect(lines).toMatchObject([
      { level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' },
      { level: 'trace', context: 'RouterExplorer', msg: 'detail' },
    ]);
  });

  it('keeps the stack Nest passes with an error', () => {
    const { logger, lines } = capture();

    logger.error('handler failed', 'Error: boom\n    at x', 'ExceptionsHandler');

    expect(lines).toMatchObject([{ level: 'error', context: 'ExceptionsHandler', stack: 'Error: boom\n    at x', msg: 'handler failed' }]);
  });

  it('serializes an Error passed as the message', () => {
    const { logger, lines } = capture();

    logger.warn(new Error('connection lost'), 'Server');

    expect(lines).toMatchObject([{ level: 'warn', context: 'Server', msg: 'connection lost', err: { message: 'connection lost' } }]);
  });

  it('drops what the logger level filters out', () => {
    const { logger, lines } = capture('warn');

    logger.log('ignored', 'NestFactory');
    logger.debug('ignored', 'NestFactory');

    expect(lines).toEqual([]);
  });
});
