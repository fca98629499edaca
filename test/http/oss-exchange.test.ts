import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssExchange } from '../../src/http/oss-exchange.js';
import type { OssReply } from '../../src/oss/operation.js';

/** What each path answers, through OssExchange.send. */
const replies: Record<string, () => OssReply> = {
  '/xml': () => ({ xml: { root: 'Stat', children: [['Status', 'Idle']] }, headers: { 'X-Oss-Extra': 'a' } }),
  '/buffer': () => ({ body: Buffer.from('bytes'), headers: { ETag: '"e"' } }),
  '/text': () => ({ body: 'text' }),
  '/json': () => ({ body: '{"a":1}', headers: { 'content-type': 'application/json' } }),
  '/typed': () => ({ body: Buffer.from('<p>'), headers: { 'content-type': 'text/html' } }),
  '/empty': () => ({}),
  '/no-content': () => ({ status: 204 }),
  '/not-modified': () => ({ status: 304, headers: { etag: '"e"' } }),
  '/head-length': () => ({ headers: { 'content-length': 1234 } }),
  '/stream': () => ({ body: Readable.from([Buffer.from('str'), Buffer.from('eam')]) }),
  '/stream-fails': () => ({
    body: new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    }),
  }),
};

const streamErrors: unknown[] = [];
const server = createServer((req, res) => {
  const exchange = new OssExchange(req, res, 'ID0123456789ABCDEF012345');
  exchange.onStreamError = (err) => {
    streamErrors.push(err);
    exchange.end(500, 'failed');
  };
  exchange.send(replies[req.url!]!());
});
let port: number;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Raw answer (fetch would hide Content-Length quirks). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('OssExchange.send', () => {
  it('sends XML with its type and length, the request id, Server: AliyunOSS and the operation headers lower-cased', async () => {
    const res = await get('/xml');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Stat><Status>Idle</Status></Stat>');
    expect(res.headers).toMatchObject({
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(res.body)),
      'x-oss-request-id': 'ID0123456789ABCDEF012345',
      server: 'AliyunOSS',
      'x-oss-extra': 'a',
    });
  });

  it('types untyped bodies as Fastify did: bytes as octet-stream, text as text/plain, JSON text with its charset', async () => {
    expect((await get('/buffer')).headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-length': '5',
      etag: '"e"',
    });
    expect((await get('/text')).headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await get('/json')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await get('/typed')).headers['content-type']).toBe('text/html');
  });

  it('says Content-Length: 0 for an empty answer, none for a 304, and keeps the object length of a HEAD', async () => {
    expect((await get('/empty')).headers['content-length']).toBe('0');
    expect((await get('/no-content')).status).toBe(204);
    const notModified = await get('/not-modified');
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-length']).toBeUndefined();
    expect((await get('/head-length', 'HEAD')).headers['content-length']).toBe('1234');
  });

  it('streams a stream body, and answers a stream failing before its first byte through onStreamError', async () => {
    const res = await get('/stream');
    expect(res.body).toBe('stream');
    expect(res.headers['x-oss-request-id']).toBe('ID0123456789ABCDEF012345');
    const failed = await get('/stream-fails');
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('failed');
    expect(streamErrors).toHaveLength(1);
  });
});
