import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let client: ReturnType<typeof ossClient>;
const sse = (res: { headers: object }) => (res.headers as Record<string, string | undefined>)['x-oss-server-side-encryption'];

beforeAll(async () => {
  emu = await startTestEmulator();
  const bucket = uniqueBucket('sse');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('object server-side encryption headers (stored and given back; nothing is encrypted)', () => {
  it('PutObject stores x-oss-server-side-encryption and answers it on Put, Get and Head', async () => {
    const put = await client.put('sse.txt', Buffer.from('secret'), { headers: { 'x-oss-server-side-encryption': 'AES256' } });
    expect(sse(put.res)).toBe('AES256');
    expect(sse((await client.get('sse.txt')).res)).toBe('AES256');
    expect(sse((await client.head('sse.txt')).res)).toBe('AES256');
    expect(sse((await client.put('plain.txt', Buffer.from('p'))).res)).toBeUndefined();
  });

  it('InitiateMultipartUpload echoes it, and the completed object carries it (ali-oss multipart tests)', async () => {
    const init = await client.initMultipartUpload('mp-sse', { headers: { 'x-oss-server-side-encryption': 'AES256' } });
    expect(sse(init.res)).toBe('AES256');
    const uploaded = await client.multipartUpload('mp-kms', Buffer.alloc(200 * 1024, 1), {
      partSize: 100 * 1024,
      headers: { 'x-oss-server-side-encryption': 'KMS' },
    } as never);
    expect(sse(uploaded.res)).toBe('KMS');
    expect(sse((await client.head('mp-kms')).res)).toBe('KMS');
  });

  it('CopyObject gives the target the encryption the copy asks for, not the source’s', async () => {
    await client.put('src-sse', Buffer.from('s'), { headers: { 'x-oss-server-side-encryption': 'AES256' } });
    await client.copy('copy-plain', 'src-sse');
    expect(sse((await client.head('copy-plain')).res)).toBeUndefined();
    const copied = await client.copy('copy-sm4', 'src-sse', { headers: { 'x-oss-server-side-encryption': 'SM4' } } as never);
    expect(sse(copied.res)).toBe('SM4');
  });

  it('refuses an unknown algorithm with 400 InvalidArgument, storing nothing', async () => {
    await expect(client.put('bad-sse', Buffer.from('x'), { headers: { 'x-oss-server-side-encryption': 'ROT13' } })).rejects.toMatchObject({
      status: 400,
      code: 'InvalidArgument',
    });
    await expect(client.head('bad-sse')).rejects.toMatchObject({ status: 404 });
  });
});
