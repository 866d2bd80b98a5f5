import { describe, expect, it } from '@jest/globals';
import { toxicToJson } from '../core/toxic-definition.js';
import { ToxiproxyApiError } from './api-error.js';
import { decodeNewToxic, decodeToxicUpdate } from './toxic-input.js';

const nothingTaken = (): boolean => false;

const failure = (run: () => unknown): { status: number; message: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof ToxiproxyApiError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('did not fail');
};

describe('decodeNewToxic', () => {
  it('fills the real server\'s defaults', () => {
    const toxic = decodeNewToxic('{"type": "latency"}', nothingTaken);
    expect(toxicToJson(toxic)).toEqual({ attributes: { latency: 0, jitter: 0 }, name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1 });
    expect(toxic.direction).toBe('downstream');
  });

  it('accepts the stream in any case and echoes it as written', () => {
    const toxic = decodeNewToxic('{"type": "noop", "stream": "UpStream"}', nothingTaken);
    expect(toxic.direction).toBe('upstream');
    expect(toxic.stream).toBe('UpStream');
    expect(toxic.name).toBe('noop_UpStream');
  });

  it('treats null fields as absent and matches keys case-insensitively', () => {
    const toxic = decodeNewToxic('{"Type": "latency", "toxicity": null, "attributes": {"LATENCY": 5, "jitter": null}}', nothingTaken);
    expect(toxic.toxicity).toBe(1);
    expect(toxic.attributes).toEqual({ latency: 5, jitter: 0 });
  });

  it('checks in order: body, stream, default name, type, clash, attributes', () => {
    const taken = (name: string): boolean => name === 'latency_downstream';
    expect(failure(() => decodeNewToxic('{"stream": "x", "toxicity": "1"}', taken)).message).toMatch(/^bad request body: json: cannot unmarshal string/);
    expect(failure(() => decodeNewToxic('{"stream": "x", "type": "nope"}', taken)).message).toBe('stream was invalid, can be either upstream or downstream');
    expect(failure(() => decodeNewToxic('{"type": "nope", "name": "latency_downstream"}', taken)).message).toBe('invalid toxic type');
    expect(failure(() => decodeNewToxic('{"type": "latency", "attributes": {"latency": 0.5}}', taken))).toEqual({ status: 409, message: 'toxic already exists' });
    expect(failure(() => decodeNewToxic('{"type": "latency", "name": "n", "attributes": {"latency": 0.5}}', taken)).status).toBe(400);
  });
});

describe('decodeToxicUpdate', () => {
  const current = decodeNewToxic('{"name": "l", "type": "latency", "toxicity": 0.5, "attributes": {"latency": 100, "jitter": 10}}', nothingTaken);

  it('merges attributes key by key and changes toxicity; other keys are ignored', () => {
    const updated = decodeToxicUpdate('{"attributes": {"jitter": 3}, "toxicity": 1, "name": 5, "stream": []}', current);
    expect(toxicToJson(updated)).toEqual({ attributes: { latency: 100, jitter: 3 }, name: 'l', type: 'latency', stream: 'downstream', toxicity: 1 });
  });

  it('keeps everything for {} and null', () => {
    expect(decodeToxicUpdate('{}', current)).toEqual(current);
    expect(decodeToxicUpdate('null', current)).toEqual(current);
    expect(decodeToxicUpdate('{"attributes": null}', current)).toEqual(current);
  });

  it('refuses wrong types and fractional integers', () => {
    expect(failure(() => decodeToxicUpdate('{"attributes": {"latency": 1.5}}', current)).status).toBe(400);
    expect(failure(() => decodeToxicUpdate('{"attributes": 7}', current)).status).toBe(400);
    expect(failure(() => decodeToxicUpdate('', current)).message).toBe('bad request body: EOF');
  });
});
