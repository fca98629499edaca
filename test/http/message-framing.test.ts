import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { rawExchange as rawExchangeWith } from '../helpers/raw-http.js';
import { finalCoding } from '../../src/http/message-framing.js';

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

const rawExchange = (bytes: string) => rawExchangeWith(emu.httpPort, bytes);

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

describe('what the lenient parser leaves to the request handler', () => {
  it('refuses a Transfer-Encoding not ending in chunked without a Content-Length (llhttp would read to the end of the connection)', async () => {
    const received = await rawExchange(`PUT /${bucket}/gz-only.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\nabc`);
    expect(received).toMatch(/^HTTP\/1\.1 400/);
    expect(received).toContain('<Code>InvalidRequest</Code>');
    await expect(client.head('gz-only.txt')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses `chunked` followed by a tab, which llhttp does not read as chunked though Node trims the tab off the value', async () => {
    for (const [name, value] of [
      ['tab.txt', 'chunked\t'],
      ['space-tab.txt', 'gzip, chunked \t'],
    ]) {
      const received = await rawExchange(
        `PUT /${bucket}/${name} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: ${value}\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
      );
      expect(received).toMatch(/^HTTP\/1\.1 400/);
      await expect(client.head(name!)).rejects.toMatchObject({ status: 404 });
    }
  });

  it('keeps the connection open after a chunked request without a Content-Length, and answers the next request on it', async () => {
    await client.put('already-there.txt', Buffer.from('abc'));
    const received = await rawExchange(
      `PUT /${bucket}/plain-chunked.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: Chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n` +
        `GET /${bucket}/already-there.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    );
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(received.endsWith('abc')).toBe(true);
    expect((await client.get('plain-chunked.txt')).content.toString()).toBe('abc');
  });

  it('drops unparsable bytes behind a request with both framings: its answer arrives whole, nothing else', async () => {
    const received = await rawExchange(
      `PUT /${bucket}/then-garbage.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `2\r\nok\r\n0\r\n\r\n\x01\x02 not HTTP at all\r\n\r\n`,
    );
    expect(received.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 200']);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect((await client.get('then-garbage.txt')).content.toString()).toBe('ok');
  });

  it('still answers a broken chunk inside a request with both framings with a 400', async () => {
    const received = await rawExchange(
      `PUT /${bucket}/broken-chunk.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n`,
    );
    expect(received).toMatch(/^HTTP\/1\.1 400/);
    await expect(client.head('broken-chunk.txt')).rejects.toMatchObject({ status: 404 });
  });
});

describe('finalCoding', () => {
  it('is the last non-empty coding, lower-case, leading blanks dropped; undefined when every value is empty', () => {
    expect(finalCoding('chunked')).toBe('chunked');
    expect(finalCoding('gzip, Chunked')).toBe('chunked');
    expect(finalCoding('gzip,\tchunked')).toBe('chunked');
    expect(finalCoding('chunked, ')).toBe('chunked');
    expect(finalCoding('chunked, gzip')).toBe('gzip');
    expect(finalCoding('gzip ,chunked x')).toBe('chunked x');
    expect(finalCoding(', ')).toBeUndefined();
    expect(finalCoding('')).toBeUndefined();
  });
});
