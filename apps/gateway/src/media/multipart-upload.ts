import multipart from '@fastify/multipart';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { MAX_MEDIA_BYTES, sniffMediaType, type AcceptedMediaType } from '#libs/contracts';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../http/api.errors.js';
import { MediaTooLargeError, UnsupportedMediaTypeError } from './media.errors.js';

/** The multipart field that carries the file. */
export const FILE_FIELD = 'file';
/** Room for the multipart framing (boundaries, part headers, a few small fields) around the largest file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Busboy's limits: one file of at most MAX_MEDIA_BYTES, a few small fields (ignored), nothing else. */
const LIMITS = { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 8, fieldSize: 4 * 1024, parts: 9, headerPairs: 64 };

/**
 * Registers @fastify/multipart on the gateway's Fastify instance (through Nest's FastifyAdapter, which
 * owns that registration: it happens once, on the root context, before the server starts listening).
 * Only multipart/form-data bodies are handed to it; the body is read by the route (`readUpload`), never
 * buffered by the plugin.
 */
@Injectable()
export class MultipartRegistration implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter as unknown as FastifyAdapter;
    // The adapter is typed for any Fastify server (HTTP/2 too), the plugin for the default one.
    void adapter.register(multipart as unknown as Parameters<FastifyAdapter['register']>[0], { limits: LIMITS });
  }
}

export interface Upload {
  readonly data: Buffer;
  /** What the content is (sniffed), whatever the client declared. */
  readonly contentType: AcceptedMediaType;
  readonly filename?: string;
}

const FILENAME_MAX = 255;
/** A client's file name, as a label: no path, no control characters, at most 255 characters. */
function cleanFilename(name: string | undefined): string | undefined {
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base === '' ? undefined : base.slice(0, FILENAME_MAX);
}

const codeOf = (error: unknown): string | undefined => (error as { code?: unknown } | null)?.code as string | undefined;

/** @fastify/multipart's and busboy's errors as the API's: limits are 413, a broken body 400. */
function translateMultipartError(error: unknown): unknown {
  switch (codeOf(error)) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new MediaTooLargeError();
    case 'FST_FILES_LIMIT':
      return new MediaTooLargeError('too many files: send one, in the field "file"');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new MediaTooLargeError('too many form fields: send the file alone, in the field "file"');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return UnsupportedMediaTypeError.notMultipart();
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return new RequestValidationError([{ field: FILE_FIELD, message: `the multipart body could not be read: ${message}` }]);
    }
  }
}

/**
 * Reads the upload of `POST /v1/media`: the multipart field `file`, at most MAX_MEDIA_BYTES (413 above:
 * at once when Content-Length already says so, else once the limit is crossed), whose content must be an
 * accepted image type (415 otherwise — judged by its magic bytes, the declared type is ignored).
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > MAX_MEDIA_BYTES + MULTIPART_OVERHEAD_BYTES) {
    throw new MediaTooLargeError(`the request is too large (${declaredLength} bytes)`);
  }
  if (!request.isMultipart()) throw UnsupportedMediaTypeError.notMultipart();
  let data: Buffer;
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await request.file();
    if (part === undefined || part.fieldname !== FILE_FIELD) {
      throw new RequestValidationError([{ field: FILE_FIELD, message: 'is required: send the file in a multipart field named "file"' }]);
    }
    data = await part.toBuffer();
    // toBuffer() does not always throw at the limit: the stream can end right after its last allowed chunk.
    if (part.file.truncated) throw new MediaTooLargeError();
  } catch (error) {
    if (error instanceof MediaTooLargeError) throw error;
    if (error instanceof RequestValidationError) throw error;
    throw translateMultipartError(error);
  }
  const contentType = sniffMediaType(data);
  if (!contentType) throw UnsupportedMediaTypeError.content(part.mimetype);
  const filename = cleanFilename(part.filename);
  return { data, contentType, ...(filename !== undefined && { filename }) };
}
