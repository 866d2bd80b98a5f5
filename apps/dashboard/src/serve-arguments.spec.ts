import { describe, expect, it } from '@jest/globals';
import { isFaultlineError } from '#libs/errors';
import { parseServeArguments } from './serve-arguments.js';

const refusal = (values: Parameters<typeof parseServeArguments>[0]): string => {
  try {
    parseServeArguments(values);
  } catch (error) {
    if (isFaultlineError(error, 'DASHBOARD_ARGUMENTS_INVALID')) return error.message;
    throw error;
  }
  throw new Error('accepted');
};

describe('the dashboard process arguments', () => {
  it('take the state dir, a loopback host and a port', () => {
    expect(parseServeArguments({ 'state-dir': '/srv/lab', host: '127.0.0.1', port: '22002' })).toEqual({ stateDir: '/srv/lab', host: '127.0.0.1', port: 22_002, allowRemote: false });
  });

  it('listen on 127.0.0.1 when no host is given, and on any free port for 0', () => {
    expect(parseServeArguments({ 'state-dir': '/srv/lab', port: '0' })).toMatchObject({ host: '127.0.0.1', port: 0 });
  });

  it('refuse a host other machines can reach unless --allow-remote is given', () => {
    expect(refusal({ 'state-dir': '/srv/lab', host: '0.0.0.0', port: '1' })).toMatch(/--host 0\.0\.0\.0 .*--allow-remote/);
    expect(parseServeArguments({ 'state-dir': '/srv/lab', host: '0.0.0.0', port: '1', 'allow-remote': true })).toMatchObject({ host: '0.0.0.0', allowRemote: true });
  });

  it('name the argument that is missing or wrong', () => {
    expect(refusal({ port: '1' })).toMatch(/^--state-dir is required/);
    expect(refusal({ 'state-dir': '/srv/lab' })).toMatch(/^--port .*got nothing/);
    expect(refusal({ 'state-dir': '/srv/lab', port: '70000' })).toMatch(/^--port .*"70000"/);
    expect(refusal({ 'state-dir': '/srv/lab', port: '-1' })).toMatch(/^--port .*"-1"/);
  });
});
