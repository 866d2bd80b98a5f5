/** What sniffing can recognize: ACCEPTED_MEDIA_TYPES (media.messages.ts checks that the two agree). */
export type SniffedMediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/**
 * The media type the content's first bytes ("magic numbers") say it is, among the accepted ones, or
 * undefined. What a client declares is never trusted: a PNG sent as `image/jpeg` is a PNG, and a script
 * sent as `image/png` is refused (415). Signatures: JPEG `FF D8 FF`; PNG `89 50 4E 47 0D 0A 1A 0A`;
 * GIF `GIF87a` / `GIF89a`; WebP `RIFF <size> WEBP`.
 */
export function sniffMediaType(bytes: Uint8Array): SniffedMediaType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}
