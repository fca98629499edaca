// GetObject of objects too large to keep in memory, read from their file on every GET on disk (store/file-span-stream.ts):
// whole and ranged bytes across read slabs, conditions, gzip, fresh bytes after an overwrite, concurrent readers and a
// client that goes away.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

/** 2.5 MiB: three read slabs of 1 MiB, the last one partial. */
const SIZE = 2.5 * 1024 * 1024;
const bytesOf = (salt: number): Buffer => {
  const b = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i++) b[i] = (i * 7 + salt) & 0xff;
  return b;
};

const dataDir = mkdtempSync(join(tmpdir(), 'get-from-file-'));
let emu: Emulator;
let client: OSS;
let bucket: string;
const first = bytesOf(1);
beforeAll(async () => {
  emu = await startTestEmulator({ inMemory: false, dataDir });
  bucket = uniqueBucket('file');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket, { acl: 'public-read' } as never);
  await client.put('big.bin', first);
});
afterAll(async () => {
  await emu.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Descriptors this process holds on files under the data directory. */
const openDataFiles = (): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(dataDir, 'objects'));
    } catch {
      return false;
    }
  }).length;

const getRaw = (key: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port: emu.httpPort, path: `/${bucket}/${key}`, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });

describe('GetObject of a large object read from its file', () => {
  it('answers the whole object and ranges across read slabs with the stored bytes', async () => {
    const whole = await client.get('big.bin');
    expect((whole.content as Buffer).equals(first)).toBe(true);
    const across = await client.get('big.bin', { headers: { Range: 'bytes=1048570-2097160' } });
    expect(across.res.status).toBe(206);
    expect((across.content as Buffer).equals(first.subarray(1048570, 2097161))).toBe(true);
    const tail = await getRaw('big.bin', { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes ${SIZE - 10}-${SIZE - 1}/${SIZE}`);
    expect(tail.body.equals(first.subarray(SIZE - 10))).toBe(true);
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const head = await client.head('big.bin');
    const etag = (head.res.headers as Record<string, string>).etag!;
    const res = await getRaw('big.bin', { 'if-none-match': etag });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
  });

  it('gzips a large text object through the stream path', async () => {
    const text = Buffer.from('a line of text for gzip\n'.repeat(60_000));
    await client.put('big.txt', text, { mime: 'text/plain' });
    const res = await getRaw('big.txt', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(text)).toBe(true);
  });

  it('serves 20 concurrent readers their whole object, then the new bytes at once after an overwrite', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => getRaw('big.bin')));
    for (const a of answers) expect(a.body.equals(first)).toBe(true);
    const second = bytesOf(2);
    await client.put('big.bin', second);
    expect((await getRaw('big.bin')).body.equals(second)).toBe(true);
    await client.delete('big.bin');
    expect((await getRaw('big.bin')).status).toBe(404);
    await client.put('big.bin', first);
  });

  it('closes the object file when the client goes away mid-answer', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: emu.httpPort, path: `/${bucket}/big.bin`, agent: false }, (res) => {
        res.once('data', () => {
          res.pause();
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (/hang up|aborted/.test(err.message) ? undefined : reject(err)));
      req.end();
    });
    await expect.poll(openDataFiles, { timeout: 5000 }).toBe(0);
  });
});
