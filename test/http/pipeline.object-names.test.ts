// Issue 14 item 12: OSS refuses object names that start with "/" or "\".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { errorOf, signedRequest } from '../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('names');
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

describe('object names starting with a slash or backslash', () => {
  it.each([
    ['a leading slash (path-style //)', '/etc/passwd', '/etc/passwd'],
    ['a leading percent-encoded slash', '/key', '%2Fkey'],
    ['a leading backslash', '\\key', '%5Ckey'],
  ])('refuses a signed PUT of a key with %s: 400 InvalidObjectName, nothing stored', async (_label, key, rawKey) => {
    const res = await signedRequest(emu, { method: 'PUT', bucket, key, rawKey, body: 'x', contentType: 'text/plain' });
    expect(errorOf(res)).toMatchObject({ status: 400, code: 'InvalidObjectName' });
    const list = await ossClient(emu, bucket).list({ 'max-keys': 1000 }, {});
    expect(list.objects ?? []).toEqual([]);
  });

  it('refuses signed PUT and GET of "/key" and "\\\\key" through ali-oss', async () => {
    const client = ossClient(emu, bucket);
    for (const name of ['\\key', '\\\\x']) {
      await expect(client.put(name, Buffer.from('x'))).rejects.toMatchObject({ status: 400, code: 'InvalidObjectName' });
    }
    const list = await client.list({ 'max-keys': 1000 }, {});
    expect(list.objects ?? []).toEqual([]);
  });
});
