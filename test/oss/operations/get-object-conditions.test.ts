// If-Match / If-None-Match compare ETags with or without quotes (issue 11 item 7: oss2's resumable download sends them bare).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let etag: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('cond');
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  const put = await client.put('obj.txt', Buffer.from('conditional'));
  etag = (put.res.headers as Record<string, string>).etag!;
});
afterAll(() => emu.close());

const get = (headers: Record<string, string>) => signedRequest(emu, { method: 'GET', bucket, key: 'obj.txt', headers });
const bare = () => etag.replace(/"/g, '');

describe('ETag preconditions', () => {
  it('If-Match with the quoted or the bare ETag is 200', async () => {
    expect((await get({ 'if-match': etag })).status).toBe(200);
    expect((await get({ 'if-match': bare() })).status).toBe(200);
    expect((await get({ 'if-match': `"other", ${bare()}` })).status).toBe(200);
  });

  it('If-Match with another ETag is 412 either way', async () => {
    expect((await get({ 'if-match': '"0123456789ABCDEF0123456789ABCDEF"' })).status).toBe(412);
    expect((await get({ 'if-match': '0123456789ABCDEF0123456789ABCDEF' })).status).toBe(412);
  });

  it('If-None-Match with the bare ETag is 304', async () => {
    expect((await get({ 'if-none-match': bare() })).status).toBe(304);
    expect((await get({ 'if-none-match': etag })).status).toBe(304);
  });

  it('ali-oss get with a bare If-Match succeeds', async () => {
    const client = ossClient(emu, bucket);
    const result = await client.get('obj.txt', { headers: { 'If-Match': bare() } });
    expect(result.content.toString()).toBe('conditional');
  });
});
