import { createReadStream, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ObjectFiles } from './object-files.js';
import type { Extent } from './rows.js';

/** Inclusive byte range. */
export interface ByteSpan {
  start: number;
  end: number;
}

/**
 * Streams bytes [start, end] of an object made of one or more files in sequence. The first file touched is opened
 * synchronously (a concurrent overwrite unlinks replaced files; an open descriptor still reads them whole); later
 * extents are opened as the reader reaches them, so a 10000-part object does not hold 10000 descriptors.
 */
export function openExtents(files: ObjectFiles, extents: readonly Extent[], span: ByteSpan): Readable {
  if (span.end < span.start) return Readable.from([]);
  const pieces: { file: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const e of extents) {
    const first = offset;
    const last = offset + e.size - 1;
    offset += e.size;
    if (e.size === 0 || last < span.start || first > span.end) continue;
    pieces.push({ file: e.file, start: Math.max(span.start, first) - first, end: Math.min(span.end, last) - first });
  }
  if (pieces.length === 0) return Readable.from([]);
  const head = pieces[0]!;
  const fd = openSync(files.path(head.file), 'r');
  const firstStream = createReadStream('', { fd, start: head.start, end: head.end });
  if (pieces.length === 1) return firstStream;
  async function* concatenated(): AsyncGenerator<Buffer> {
    yield* firstStream as AsyncIterable<Buffer>;
    for (const piece of pieces.slice(1)) {
      yield* createReadStream(files.path(piece.file), {
        start: piece.start,
        end: piece.end,
        highWaterMark: 256 * 1024,
      }) as AsyncIterable<Buffer>;
    }
  }
  return Readable.from(concatenated(), { objectMode: false });
}
