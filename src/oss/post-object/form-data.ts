import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { ossErrors } from '../wire/errors.js';

/** The text fields before the file part, and the file part as a stream of its bytes. */
export interface UploadForm {
  /** Field name (lower-cased) -> value; the first of a repeated name wins. */
  fields: Map<string, string>;
  /** The file part's own filename and Content-Type. */
  file: { filename: string; contentType: string | undefined };
  /** The file's bytes, ending before the closing boundary; errors with MalformedPOSTRequest if that never comes. */
  bytes: Readable;
}

const malformed = (why: string) =>
  ossErrors.invalidArgument(`The body of your POST request is not well-formed multipart/form-data: ${why}.`);

/** The boundary of `multipart/form-data; boundary=…`, or undefined when the request is not a form upload. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

function partHeaders(block: string): { name: string; filename: string | undefined; contentType: string | undefined } {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1];
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1] ?? /\bfilename=([^;\s]+)/i.exec(value)?.[1];
    } else if (header === 'content-type') contentType = value;
  }
  if (name === undefined) throw malformed('a part has no Content-Disposition name');
  return { name, filename, contentType };
}

/** Passes bytes through until `\r\n--boundary`, holding back what could be the start of it; drops the rest. */
class UntilBoundary extends Transform {
  private held = Buffer.alloc(0);
  private done = false;
  constructor(private readonly delimiter: Buffer) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.done) return cb();
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const at = data.indexOf(this.delimiter);
    if (at !== -1) {
      this.done = true;
      this.held = Buffer.alloc(0);
      if (at > 0) this.push(data.subarray(0, at));
      return cb();
    }
    const keep = Math.min(data.length, this.delimiter.length - 1);
    if (data.length > keep) this.push(data.subarray(0, data.length - keep));
    this.held = Buffer.from(data.subarray(data.length - keep));
    cb();
  }
  override _flush(cb: TransformCallback): void {
    cb(this.done ? undefined : malformed('the file part is not closed by the boundary'));
  }
}

/**
 * Reads a PostObject body: every field up to the `file` part into memory (at most `maxFieldBytes` in all), then hands
 * the file's bytes on as a stream (OSS requires `file` to be the last field; anything after it is ignored).
 */
export function readUploadForm(body: Readable, boundary: string, maxFieldBytes: number): Promise<UploadForm> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  return new Promise((resolve, reject) => {
    // Prefixed with CRLF so the first boundary looks like every other one.
    let buffered = Buffer.from('\r\n');
    const fields = new Map<string, string>();
    let settled = false;
    const finish = (err: Error | undefined, form?: UploadForm) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (err) reject(err);
      else resolve(form!);
    };
    const onError = (err: Error) => finish(err);
    const onEnd = () => finish(malformed('no file field'));
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      try {
        for (;;) {
          const start = buffered.indexOf(delimiter);
          if (start === -1) break;
          const afterDelimiter = start + delimiter.length;
          if (buffered.length < afterDelimiter + 2) break;
          if (buffered.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return finish(malformed('no file field'));
          const headersEnd = buffered.indexOf('\r\n\r\n', afterDelimiter);
          if (headersEnd === -1) break;
          const { name, filename, contentType } = partHeaders(buffered.subarray(afterDelimiter + 2, headersEnd).toString('utf8'));
          const contentStart = headersEnd + 4;
          if (name.toLowerCase() === 'file') {
            body.pause();
            const rest = buffered.subarray(contentStart);
            body.off('data', onData);
            if (rest.length) body.unshift(rest);
            const bytes = body.pipe(new UntilBoundary(delimiter));
            body.once('error', (err) => bytes.destroy(err));
            return finish(undefined, { fields, file: { filename: filename ?? '', contentType }, bytes });
          }
          const end = buffered.indexOf(delimiter, contentStart);
          if (end === -1) break;
          const key = name.toLowerCase();
          if (!fields.has(key)) fields.set(key, buffered.subarray(contentStart, end).toString('utf8'));
          buffered = buffered.subarray(end);
        }
        if (buffered.length > maxFieldBytes)
          finish(ossErrors.invalidArgument(`The form fields before the file exceed ${maxFieldBytes} bytes.`));
      } catch (err) {
        finish(err as Error);
      }
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}
