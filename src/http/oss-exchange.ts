import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream';
import type { OssReply } from '../oss/operation.js';
import { renderXml } from '../oss/wire/xml.js';
import { FileSpanStream } from '../store/file-span-stream.js';
import type { AnsweredRequest } from './admin/request-log.js';

/** A response header value as Node's `writeHead` takes it. */
export type HeaderValue = string | number | string[];

/**
 * One OSS request and its answer, on Node's `http` directly: the response headers gathered on the way (written in one
 * `writeHead`), and what the request log reads once the answer is sent (operation, bucket, key, error, injected).
 */
export class OssExchange implements AnsweredRequest {
  /** Response headers, lower-case names. Every OSS answer carries the request id and `Server: AliyunOSS`. */
  readonly headers: Record<string, HeaderValue>;
  readonly startMs = performance.now();
  operation: string | undefined;
  bucket: string | undefined;
  key: string | undefined;
  /** OSS error Code / Message / EC of an error answer. */
  code: string | undefined;
  message: string | undefined;
  ec: string | undefined;
  /** An injected fault (POST /-/faults) acted on this request. */
  injected = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly id: string,
  ) {
    this.headers = { 'x-oss-request-id': id, server: 'AliyunOSS' };
  }

  get method(): string {
    return this.req.method ?? 'GET';
  }

  get url(): string {
    return this.req.url ?? '/';
  }

  /** Adds headers (names lower-cased, as Fastify's `reply.headers` did: one value per name whatever its case). */
  setHeaders(headers: Record<string, HeaderValue> | undefined): void {
    if (headers === undefined) return;
    for (const name in headers) this.headers[name.toLowerCase()] = headers[name]!;
  }

  /** The operation's answer: XML, bytes, a stream or nothing, with the operation's status and headers. */
  send(result: OssReply): void {
    const status = result.status ?? 200;
    this.setHeaders(result.headers);
    if (result.xml) {
      this.headers['content-type'] = 'application/xml';
      return this.end(status, renderXml(result.xml.root, result.xml.children));
    }
    const body = result.body;
    if (body === undefined) {
      // A 304 must not claim a zero length for the object it stands for (RFC 9110 §8.6); HEAD keeps the object's.
      if (status !== 304 && this.headers['content-length'] === undefined && this.method !== 'HEAD') this.headers['content-length'] = 0;
      return this.end(status, undefined);
    }
    if (typeof body === 'string' || Buffer.isBuffer(body)) return this.end(status, body);
    if (body instanceof FileSpanStream) return this.writeFileSpan(status, body);
    this.pipe(status, body);
  }

  /** A stored file's bytes, read into reused buffers and written straight to the response (no stream pipe). */
  private writeFileSpan(status: number, body: FileSpanStream): void {
    const res = this.res;
    res.statusCode = status;
    for (const name in this.headers) res.setHeader(name, this.headers[name]!);
    body.writeTo(res, (err, started) => {
      if (started || res.headersSent || this.req.aborted) res.destroy();
      else this.onStreamError?.(err);
    });
  }

  /** Writes the answer in one go: headers and a string/Buffer body (none for undefined). */
  end(status: number, body: string | Buffer | undefined): void {
    const headers = this.headers;
    if (body !== undefined) {
      if (status === 204 || status < 200) {
        // No body on a 204: nor a type or length for one.
        delete headers['content-type'];
        delete headers['content-length'];
        body = undefined;
      } else {
        const type = headers['content-type'];
        if (type === undefined)
          headers['content-type'] = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream';
        // JSON text (GetBucketPolicy) says its charset.
        else if (typeof body === 'string' && typeof type === 'string' && type.includes('json') && !/;\s*charset=/i.test(type)) {
          headers['content-type'] = `${type}; charset=utf-8`;
        }
        const length = headers['content-length'];
        // HEAD keeps the length it was given (the object's); otherwise the length is the body's.
        if (!length || (this.method !== 'HEAD' && Number(length) !== Buffer.byteLength(body))) {
          headers['content-length'] = Buffer.byteLength(body);
        }
      }
    }
    this.res.writeHead(status, headers);
    this.res.end(body);
  }

  /** A streamed body: headers go out with its first bytes, so a stream failing before any is still answered with an error. */
  private pipe(status: number, body: Readable): void {
    const res = this.res;
    res.statusCode = status;
    for (const name in this.headers) res.setHeader(name, this.headers[name]!);
    let sourceOpen = true;
    finished(body, { readable: true, writable: false }, (err) => {
      sourceOpen = false;
      if (!err) return;
      if (res.headersSent || this.req.aborted) res.destroy();
      else this.onStreamError?.(err);
    });
    // The client went away first: stop reading the source.
    finished(res, () => {
      if (sourceOpen) body.destroy();
    });
    body.pipe(res);
  }

  /** Answers a stream that failed before its first byte (the front sets it to its error reply). */
  onStreamError: ((this: OssExchange, err: unknown) => void) | undefined;
}
