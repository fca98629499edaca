// Content-MD5 on GetObject/HeadObject: OSS answers it for Normal objects (their ETag is the MD5), for multipart objects
// only when the upload was initiated with ?sequential, never for appendable objects or partial/re-encoded bodies.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('md5');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

/** Initiate (with or without ?sequential), two parts, complete: the object's bytes. */
async function multipart(key: string, sequential: boolean): Promise<Buffer> {
  const init = await signedRequest(emu, {
    method: 'POST',
    bucket,
    key,
    query: sequential
      ? [
          ['uploads', ''],
          ['sequential', ''],
        ]
      : [['uploads', '']],
  });
  expect(init.status).toBe(200);
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)![1]!;
  const parts = [randomBytes(100 * 1024), randomBytes(1000)];
  const etags: string[] = [];
  for (const [i, part] of parts.entries()) etags.push((await client.uploadPart(key, uploadId, i + 1, part, 0, part.length)).etag);
  await client.completeMultipartUpload(
    key,
    uploadId,
    etags.map((etag, i) => ({ number: i + 1, etag })),
  );
  return Buffer.concat(parts);
}

describe('Content-MD5 of an object', () => {
  it('is answered for a PutObject object on GET and HEAD, not on a range', async () => {
    const body = randomBytes(5000);
    await client.put('put.bin', body);
    expect(headersOf((await client.head('put.bin')).res)['content-md5']).toBe(md5(body));
    expect(headersOf((await client.get('put.bin')).res)['content-md5']).toBe(md5(body));
    expect(headersOf((await client.get('put.bin', { headers: { Range: 'bytes=0-9' } })).res)['content-md5']).toBeUndefined();
  });

  it('is answered for a multipart object only when the upload was sequential, as the whole content’s MD5', async () => {
    await multipart('plain.bin', false);
    expect(headersOf((await client.head('plain.bin')).res)['content-md5']).toBeUndefined();
    const bytes = await multipart('seq.bin', true);
    expect(headersOf((await client.head('seq.bin')).res)['content-md5']).toBe(md5(bytes));
    const got = await client.get('seq.bin');
    expect(Buffer.compare(got.content as Buffer, bytes)).toBe(0);
    expect(headersOf(got.res)['content-md5']).toBe(md5(bytes));
  });

  it('is not answered for an appendable object', async () => {
    await client.append('app.bin', Buffer.from('first'));
    expect(headersOf((await client.head('app.bin')).res)['content-md5']).toBeUndefined();
  });
});
