import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';

let emu: Emulator;
let client: ReturnType<typeof ossClient>;
let bucket: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('framing');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.putBucketACL(bucket, 'public-read-write');
});
afterAll(() => emu.close());

/** Sends raw bytes, returns everything the server sent until it closed the connection. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(emu.httpPort, '127.0.0.1', () => socket.write(bytes, 'latin1'));
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection not closed; received so far: ${received}`));
    }, 10_000);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
  });
}

describe('Content-Length together with Transfer-Encoding: chunked (issue 11 item 8)', () => {
  it('ali-oss putStream given a contentLength and a chunked Transfer-Encoding (it sends both) stores the object', async () => {
    const body = Buffer.from('streamed with both framings');
    const put = await client.putStream('both.txt', Readable.from([body.subarray(0, 8), body.subarray(8)]), {
      contentLength: body.length,
      headers: { 'Transfer-Encoding': 'chunked' },
    } as never);
    expect(put.res.status).toBe(200);
    // The answer closes the connection, as RFC 9112 §6.1 asks after such a request.
    expect((put.res.headers as Record<string, string>).connection).toBe('close');
    expect((await client.get('both.txt')).content.toString()).toBe(body.toString());
  });

  it('reads the body as chunked, and nothing pipelined behind the request is executed', async () => {
    const smuggled = `PUT /${bucket}/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx`;
    const received = await rawExchange(
      `PUT /${bucket}/chunked.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n` +
        `5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n${smuggled}`,
    );
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    expect((await client.get('chunked.txt')).content.toString()).toBe('hello world');
    await expect(client.head('smuggled')).rejects.toMatchObject({ status: 404 });
  });

  it('keeps a Content-Length body byte-exact even when it looks like such a request', async () => {
    const lookalike = 'PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n';
    const received = await rawExchange(
      `PUT /${bucket}/lookalike.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${lookalike.length}\r\n\r\n${lookalike}`,
    );
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    expect((await client.get('lookalike.txt')).content.toString('latin1')).toBe(lookalike);
  });

  it('still refuses a Transfer-Encoding it cannot frame, with an OSS error', async () => {
    const received = await rawExchange(
      `PUT /${bucket}/gz.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc`,
    );
    expect(received).toMatch(/^HTTP\/1\.1 400/);
    expect(received).toContain('<Code>InvalidRequest</Code>');
    await expect(client.head('gz.txt')).rejects.toMatchObject({ status: 404 });
  });
});
