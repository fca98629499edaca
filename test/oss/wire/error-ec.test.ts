// Errors carry their EC as OSS sends it, in OSS's element order, and V4's region wording (issue 11 item 14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSS from 'ali-oss';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('ec');
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: { status: number; code: string; ecCode?: string; message: string }) => e,
  );
const elementNames = (xml: string) => [...xml.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]).filter((n) => n !== 'Error');

describe('EC codes', () => {
  it('NoSuchKey carries 0026-00000001 in the body and x-oss-ec (GET and HEAD)', async () => {
    const get = await signedRequest(emu, { method: 'GET', bucket, key: 'missing.txt' });
    expect(get.status).toBe(404);
    expect(get.headers['x-oss-ec']).toBe('0026-00000001');
    expect(elementNames(get.text)).toEqual(['Code', 'Message', 'RequestId', 'HostId', 'Key', 'EC', 'RecommendDoc']);
    const head = await signedRequest(emu, { method: 'HEAD', bucket, key: 'missing.txt' });
    expect(head.headers['x-oss-ec']).toBe('0026-00000001');
    const err = await rejection(ossClient(emu, bucket).get('missing.txt'));
    expect(err.ecCode).toBe('0026-00000001');
  });

  it('NoSuchBucket carries 0015-00000101', async () => {
    const err = await rejection(ossClient(emu, uniqueBucket('nobucket')).get('k'));
    expect(err).toMatchObject({ status: 404, code: 'NoSuchBucket', ecCode: '0015-00000101' });
  });

  it('InvalidAccessKeyId carries 0002-00000902, a V1 SignatureDoesNotMatch 0002-00000040', async () => {
    const unknown = new OSS({ endpoint: emu.endpoint, accessKeyId: 'nobody', accessKeySecret: 'x', bucket } as OSS.Options);
    expect(await rejection(unknown.get('k'))).toMatchObject({ status: 403, code: 'InvalidAccessKeyId', ecCode: '0002-00000902' });
    const wrong = new OSS({ endpoint: emu.endpoint, accessKeyId: emu.accessKeyId, accessKeySecret: 'wrong', bucket } as OSS.Options);
    expect(await rejection(wrong.get('k'))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch', ecCode: '0002-00000040' });
  });
});

describe('V4 signing region', () => {
  it('a region other than the one the Host names is 400 "Invalid signing region in Authorization header."', async () => {
    // ali-oss derives both the Host (IP mode: <bucket>.oss-cn-hangzhou.aliyuncs.com) and the V4 scope from `region`:
    // rewrite the scope of its Authorization header so the two disagree.
    const client = ossClient(emu, bucket, { authorizationV4: true, region: 'oss-cn-hangzhou' }) as OSS & { options: { region: string } };
    await client.put('ok.txt', Buffer.from('x'));
    const original = (client as unknown as { authorizationV4: (...a: unknown[]) => string }).authorizationV4;
    (client as unknown as { authorizationV4: (...a: unknown[]) => string }).authorizationV4 = function (this: unknown, ...args: unknown[]) {
      return original.apply(this, args).replace('/cn-hangzhou/', '/cn-beijing/');
    };
    const err = await rejection(client.get('ok.txt'));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0002-00000226' });
    expect(err.message).toBe('Invalid signing region in Authorization header.');
  });

  it('accepts any region when the Host names none (a localhost endpoint)', async () => {
    const client = new OSS({
      endpoint: `http://localhost:${emu.httpPort}`,
      sldEnable: true,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      bucket,
      authorizationV4: true,
      region: 'oss-us-east-1',
    } as OSS.Options);
    const put = await client.put('anywhere.txt', Buffer.from('x'));
    expect(put.res.status).toBe(200);
  });
});
