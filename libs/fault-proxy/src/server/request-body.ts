import type { IncomingMessage } from 'node:http';

export type RequestBody = { readonly tooLarge: false; readonly text: string } | { readonly tooLarge: true };

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops reading (the connection is
 * then closed after the answer) instead of buffering whatever a client cares to send.
 */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<RequestBody> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length > limit) {
        request.removeListener('data', onData);
        request.removeListener('end', onEnd);
        request.pause();
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve({ tooLarge: false, text: Buffer.concat(chunks, length).toString('utf8') });
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}
