import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { crc64Of } from '../../../src/store/crc64.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let client: ReturnType<typeof ossClient>;
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;

beforeAll(async () => {
  emu = await startTestEmulator();
  const bucket = uniqueBucket('crc');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('x-oss-hash-crc64ecma (issue 11 item 10)', () => {
  it('is computed as a PutObject arrives and returned on Put, Get (whole object) and Head', async () => {
    const body = randomBytes(200_000);
    const expected = crc64Of(body);
    const put = await client.put('crc.bin', body);
    expect(headersOf(put.res)['x-oss-hash-crc64ecma']).toBe(expected);
    expect(headersOf((await client.get('crc.bin')).res)['x-oss-hash-crc64ecma']).toBe(expected);
    expect(headersOf((await client.head('crc.bin')).res)['x-oss-hash-crc64ecma']).toBe(expected);
    // A stream upload (chunked) gets it too.
    const { Readable } = await import('node:stream');
    const streamed = await client.putStream('stream.bin', Readable.from([body.subarray(0, 1000), body.subarray(1000)]));
    expect(headersOf(streamed.res)['x-oss-hash-crc64ecma']).toBe(expected);
    // A range is not the whole object: no CRC64 on it.
    const range = await client.get('crc.bin', { headers: { Range: 'bytes=0-9' } });
    expect(headersOf(range.res)['x-oss-hash-crc64ecma']).toBeUndefined();
  });

  it('is 0 for an empty object', async () => {
    await client.put('empty', Buffer.alloc(0));
    expect(headersOf((await client.head('empty')).res)['x-oss-hash-crc64ecma']).toBe('0');
  });
});
