import type { Readable } from 'node:stream';
import { ossErrors } from '../oss/wire/errors.js';

/** Reads a whole request body, refusing more than maxBytes (EntityTooLarge) without buffering the excess. */
export async function readBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    // Stop reading; the error reply closes the connection (see sendError), so the rest is never buffered.
    if (size > maxBytes) throw ossErrors.entityTooLarge(maxBytes);
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
