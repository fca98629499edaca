import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let bucket: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('traffic');
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

describe('x-oss-traffic-limit in a presigned URL (ali-oss signatureUrl trafficLimit)', () => {
  it('is accepted on PutObject and GetObject (signed with the URL; not enforced)', async () => {
    const limit = 8 * 1024 * 100 * 4;
    const putUrl = presignedUrl(emu, bucket, 'limited.bin', { method: 'PUT', expires: 3600, trafficLimit: limit });
    expect(putUrl).toContain(`x-oss-traffic-limit=${limit}`);
    const body = Buffer.alloc(64 * 1024, 7);
    const put = await fetch(putUrl, { method: 'PUT', body });
    expect(put.status).toBe(200);
    const get = await fetch(presignedUrl(emu, bucket, 'limited.bin', { expires: 3600, trafficLimit: limit }));
    expect(get.status).toBe(200);
    expect(Buffer.from(await get.arrayBuffer()).equals(body)).toBe(true);
  });
});
