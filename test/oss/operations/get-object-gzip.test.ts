// GetObject with Accept-Encoding: gzip compresses the documented types from 1 KB on (issue 11 item 11).
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';
import { request as httpRequest } from 'node:http';

let emu: Emulator;
let bucket: string;
const text = 'line of text\n'.repeat(200);
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('gzip');
  const client = ossClient(emu, bucket, {});
  await client.putBucket(bucket, { acl: 'public-read' } as never);
  await client.put('big.txt', Buffer.from(text), { mime: 'text/plain' });
  await client.put('small.txt', Buffer.from('tiny'), { mime: 'text/plain' });
  await client.put('clip.ts', Buffer.from(text), { mime: 'video/MP2T' });
});
afterAll(() => emu.close());

/** Raw bytes as sent (signedRequest decodes to text). */
const getRaw = (key: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const endpoint = new URL(emu.endpoint);
    httpRequest({ host: endpoint.hostname, port: endpoint.port, path: `/${bucket}/${key}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });

describe('GetObject Accept-Encoding: gzip', () => {
  it('gzips a text/plain object of 1 KB or more: Content-Encoding gzip, no Content-Length, the same ETag', async () => {
    const plain = await signedRequest(emu, { method: 'GET', bucket, key: 'big.txt' });
    const res = await getRaw('big.txt', { 'accept-encoding': 'gzip, deflate' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBeUndefined();
    // The stored MD5 does not describe the gzip bytes sent.
    expect(res.headers['content-md5']).toBeUndefined();
    expect(res.headers.etag).toBe(plain.headers.etag);
    expect(gunzipSync(res.body).toString()).toBe(text);
  });

  it('sends small objects, other types, ranges and q=0 as stored', async () => {
    expect((await getRaw('small.txt', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    expect((await getRaw('clip.ts', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBeUndefined();
    const ranged = await getRaw('big.txt', { 'accept-encoding': 'gzip', range: 'bytes=0-9' });
    expect([ranged.status, ranged.headers['content-encoding'], ranged.body.toString()]).toEqual([206, undefined, text.slice(0, 10)]);
    expect((await getRaw('big.txt', { 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
  });

  it('ali-oss reads it back decompressed', async () => {
    const result = await ossClient(emu, bucket).get('big.txt', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(result.content.toString()).toBe(text);
  });
});
