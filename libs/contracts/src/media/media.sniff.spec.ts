import { describe, expect, it } from '@jest/globals';
import { ACCEPTED_MEDIA_TYPES } from './media.messages.js';
import { sniffMediaType } from './media.sniff.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((c) => c.charCodeAt(0)) : part)));

describe('sniffMediaType', () => {
  it.each([
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF')],
    ['image/png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR')],
    ['image/gif', bytes('GIF89a', [1, 0, 1, 0])],
    ['image/gif', bytes('GIF87a', [1, 0, 1, 0])],
    ['image/webp', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 ')],
  ])('recognizes %s by its first bytes', (type, content) => {
    expect(sniffMediaType(content)).toBe(type);
  });

  it('recognizes nothing else, whatever a client declares', () => {
    expect(sniffMediaType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffMediaType(bytes('%PDF-1.7'))).toBeUndefined();
    expect(sniffMediaType(bytes('RIFF', [0, 0, 0, 0], 'WAVE'))).toBeUndefined();
    expect(sniffMediaType(bytes([0x89], 'PNG'))).toBeUndefined(); // truncated signature
    expect(sniffMediaType(new Uint8Array())).toBeUndefined();
  });

  it('knows every accepted type', () => {
    const samples = [bytes([0xff, 0xd8, 0xff]), bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), bytes('GIF89a'), bytes('RIFF', [0, 0, 0, 0], 'WEBP')];
    expect(new Set(samples.map(sniffMediaType))).toEqual(new Set(ACCEPTED_MEDIA_TYPES));
  });
});
