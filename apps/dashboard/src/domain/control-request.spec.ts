import { describe, expect, it } from '@jest/globals';
import { DashboardRequestError } from '../dashboard.errors.js';
import { healRequestSchema, latencyRequestSchema, parseBody, partitionRequestSchema } from './control-request.js';

const fieldOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    if (!(error instanceof DashboardRequestError)) throw error;
    expect(error.status).toBe(400);
    return error.field;
  }
};

describe('workshop control request bodies', () => {
  it('takes a latency request, with defaults', () => {
    expect(parseBody(latencyRequestSchema, { link: 'between=dc-a:dc-b', ms: 200 })).toEqual({ link: 'between=dc-a:dc-b', ms: 200, jitterMs: 0 });
    expect(parseBody(partitionRequestSchema, { a: 'dc-a', b: 'dc-b', durationSeconds: 30 })).toEqual({ a: 'dc-a', b: 'dc-b', oneWay: false, durationSeconds: 30 });
    expect(parseBody(healRequestSchema, { id: 'f123abc' })).toEqual({ id: 'f123abc' });
    expect(parseBody(healRequestSchema, { all: true })).toEqual({ all: true });
  });

  it('names the wrong field in a 400', () => {
    expect(fieldOf(() => parseBody(latencyRequestSchema, { link: 'x', ms: '200' }))).toBe('body.ms');
    expect(fieldOf(() => parseBody(latencyRequestSchema, { ms: 200 }))).toBe('body.link');
    expect(fieldOf(() => parseBody(latencyRequestSchema, { link: 'x', ms: -1 }))).toBe('body.ms');
    expect(fieldOf(() => parseBody(latencyRequestSchema, { link: 'x', ms: 1, durationSeconds: 0 }))).toBe('body.durationSeconds');
    expect(fieldOf(() => parseBody(latencyRequestSchema, { link: 'x', ms: 1, sneaky: true }))).toBe('body.sneaky');
    expect(fieldOf(() => parseBody(partitionRequestSchema, { a: 'dc-a', b: 'dc-b', oneWay: 'yes' }))).toBe('body.oneWay');
    expect(fieldOf(() => parseBody(healRequestSchema, {}))).toBe('body.id');
    expect(fieldOf(() => parseBody(healRequestSchema, { id: 'f1', all: true }))).toBe('body.id');
    expect(fieldOf(() => parseBody(latencyRequestSchema, [1]))).toBe('body');
    expect(fieldOf(() => parseBody(latencyRequestSchema, null))).toBe('body');
  });
});
