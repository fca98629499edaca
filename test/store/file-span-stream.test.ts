import { mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSpanStream, ReadSlabs } from '../../src/store/file-span-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'file-span-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file of `size` bytes, each byte its own position mod 251 plus `salt` (so two files never share a chunk). */
function fileOf(name: string, size: number, salt = 0): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i % 251) + salt;
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Descriptors this process holds open on `path`. */
const openOn = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).replace(/ \(deleted\)$/, '') === path;
    } catch {
      return false; // closed while listing
    }
  }).length;

async function collect(stream: FileSpanStream): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

describe('FileSpanStream as a stream', () => {
  it('yields exactly bytes [start, end] in fresh buffers a consumer may keep, and closes its descriptor', async () => {
    const { path, bytes } = fileOf('stream.bin', 10_000);
    const slabs = new ReadSlabs(4096, 4);
    expect(slabs.taken).toBe(0);
    const chunks = await collect(new FileSpanStream(openSync(path, 'r'), 123, 9_876, slabs));
    expect(Buffer.concat(chunks).equals(bytes.subarray(123, 9_877))).toBe(true);
    // Fresh buffers: no two chunks share memory, and none is a pool slab.
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
    expect(slabs.idle).toBe(0);
    expect(openOn(path)).toBe(0);
  });

  it('fails when the file is shorter than the span', async () => {
    const { path } = fileOf('short.bin', 100);
    await expect(collect(new FileSpanStream(openSync(path, 'r'), 0, 199, new ReadSlabs(64, 1)))).rejects.toThrow(/ended before/);
    expect(openOn(path)).toBe(0);
  });

  it('still reads a file unlinked after it was opened (an overwrite or delete during a GET)', async () => {
    const { path, bytes } = fileOf('unlinked.bin', 5000);
    const stream = new FileSpanStream(openSync(path, 'r'), 0, 4999, new ReadSlabs(1024, 1));
    unlinkSync(path);
    expect(Buffer.concat(await collect(stream)).equals(bytes)).toBe(true);
  });
});

describe('FileSpanStream.writeTo a response', () => {
  /** GET /NAME?start&end&slab: the span of NAME written with writeTo through one shared slab pool. */
  const slabs = new ReadSlabs(4096, 2);
  const files = new Map<string, string>();
  const failures: Array<{ err: Error; started: boolean }> = [];
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const start = Number(url.searchParams.get('start') ?? 0);
      const end = Number(url.searchParams.get('end'));
      const stream = new FileSpanStream(openSync(files.get(url.pathname)!, 'r'), start, end, slabs);
      res.setHeader('content-length', end - start + 1);
      stream.writeTo(res, (err, started) => {
        failures.push({ err, started });
        if (started) res.destroy();
        else {
          res.removeHeader('content-length');
          res.writeHead(500).end('failed');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The body; `slowMs`: the client pauses that long after each chunk it reads (the server's writes wait for it). */
  function get(path: string, slowMs = 0): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          if (slowMs > 0) {
            res.pause();
            setTimeout(() => res.resume(), slowMs);
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends each reader its own bytes while readers share reused slabs, slow readers among them', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `/f${i}`);
    const expected = new Map<string, Buffer>();
    names.forEach((name, i) => {
      const f = fileOf(`concurrent-${i}.bin`, 40_000 + i * 777, i);
      files.set(name, f.path);
      expected.set(name, f.bytes);
    });
    const answers = await Promise.all(
      names.map((name, i) => get(`${name}?start=${i}&end=${expected.get(name)!.length - 1}`, i % 3 === 0 ? 2 : 0)),
    );
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect(answer.body.equals(expected.get(names[i]!)!.subarray(i))).toBe(true);
    });
    // Two readers got the two slabs (each read into again and again), the others read into fresh buffers; the slabs came
    // back to the pool and every descriptor is closed.
    expect(slabs.taken).toBe(0);
    expect(slabs.idle).toBe(2);
    for (const name of names) expect(openOn(files.get(name)!)).toBe(0);
  });

  it('closes the descriptor when the client goes away mid-answer', async () => {
    const { path } = fileOf('abort.bin', 8 * 1024 * 1024);
    files.set('/abort', path);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ port, path: `/abort?end=${8 * 1024 * 1024 - 1}`, agent: false }, (res) => {
        res.once('data', () => {
          res.pause();
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (err.message.includes('socket hang up') || err.message.includes('aborted') ? undefined : reject(err)));
      req.end();
    });
    await expect.poll(() => openOn(path), { timeout: 5000 }).toBe(0);
    await expect.poll(() => slabs.taken, { timeout: 5000 }).toBe(0);
  });

  it('answers a read failing before the first byte through onError, and cuts the answer after it', async () => {
    const { path } = fileOf('truncated.bin', 10_000);
    files.set('/truncated', path);
    const before = await get('/truncated?end=1999');
    expect(before.body.length).toBe(2000);
    // The span runs past the end of the file: the read that finds the end fails after 10_000 bytes were sent.
    const cut = get('/truncated?end=19999');
    await expect(cut).rejects.toThrow();
    expect(failures.at(-1)?.started).toBe(true);
    const { path: empty } = fileOf('empty.bin', 0);
    files.set('/empty', empty);
    const failed = await get('/empty?end=9');
    expect(failed.status).toBe(500);
    expect(failures.at(-1)?.started).toBe(false);
    expect(openOn(path) + openOn(empty)).toBe(0);
  });
});

describe('ReadSlabs', () => {
  it('hands out at most maxOut slabs, hands a given-back one out again, keeps at most maxIdle idle', () => {
    const slabs = new ReadSlabs(16, 3, 2, 60_000);
    const a = slabs.take()!;
    slabs.give(a);
    expect(slabs.take()).toBe(a);
    const b = slabs.take()!;
    const c = slabs.take()!;
    expect(slabs.take()).toBeUndefined();
    expect(slabs.taken).toBe(3);
    for (const s of [a, b, c]) slabs.give(s);
    expect(slabs.taken).toBe(0);
    expect(slabs.idle).toBe(2);
    // An abandoned slab (its response closed during a write) is out no longer and never comes back.
    const d = slabs.take()!;
    slabs.abandon();
    expect(slabs.taken).toBe(0);
    expect([slabs.take(), slabs.take()]).not.toContain(d);
  });

  it('drops idle slabs after a quiet while', async () => {
    const slabs = new ReadSlabs(16, 2, 2, 30);
    slabs.give(slabs.take()!);
    expect(slabs.idle).toBe(1);
    await expect.poll(() => slabs.idle, { timeout: 2000 }).toBe(0);
  });
});
