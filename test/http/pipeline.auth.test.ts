import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { signedRequest } from '../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket();
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

describe('request authentication', () => {
  it('accepts V4-signed requests from ali-oss (authorizationV4)', async () => {
    const v4 = ossClient(emu, bucket, { authorizationV4: true, region: 'oss-cn-hangzhou' });
    await v4.put('v4/obj.txt', Buffer.from('signed with v4'));
    const got = await v4.get('v4/obj.txt');
    expect((got.content as Buffer).toString()).toBe('signed with v4');
    const listed = await v4.list({ prefix: 'v4/' } as never, {});
    expect(listed.objects.map((o) => o.name)).toEqual(['v4/obj.txt']);
  });

  it('answers a wrong secret with SignatureDoesNotMatch and echoes the StringToSign', async () => {
    const wrong = ossClient(emu, bucket, { accessKeySecret: 'not-the-secret' });
    const err = (await wrong.get('anything').catch((e: unknown) => e)) as { status: number; code: string; params?: unknown };
    expect(err).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const url = presignedUrl(emu, bucket, 'anything', { accessKeySecret: 'not-the-secret' });
    const body = await (await fetch(url)).text();
    expect(body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(body).toMatch(/<StringToSign>GET\n\n\n\d+\n\/[^<]+\/anything<\/StringToSign>/);
  });

  it('answers an unknown AccessKeyId with InvalidAccessKeyId', async () => {
    const stranger = ossClient(emu, bucket, { accessKeyId: 'LTAIunknown' });
    await expect(stranger.get('anything')).rejects.toMatchObject({ status: 403, code: 'InvalidAccessKeyId' });
  });

  it('refuses anonymous access to a private bucket and allows it with --no-auth', async () => {
    const anonymous = await fetch(`${emu.endpoint}/${bucket}/?max-keys=1`);
    expect(anonymous.status).toBe(403);
    const open = await startTestEmulator({ auth: false });
    try {
      const put = await fetch(`${open.endpoint}/free-bucket`, { method: 'PUT' });
      expect(put.status).toBe(200);
      const list = await fetch(`${open.endpoint}/free-bucket/`);
      expect(list.status).toBe(200);
      expect(await list.text()).toContain('<Name>free-bucket</Name>');
    } finally {
      await open.close();
    }
  });

  it('resolves virtual-hosted requests by Host header (<bucket>.localhost)', async () => {
    const put = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'vhost.txt',
      body: 'virtual',
      virtualHost: `localhost:${emu.httpPort}`,
    });
    expect(put.status).toBe(200);
    const got = await ossClient(emu, bucket).get('vhost.txt');
    expect((got.content as Buffer).toString()).toBe('virtual');
    const listed = await signedRequest(emu, {
      method: 'GET',
      bucket,
      key: '',
      query: [['prefix', 'vhost']],
      virtualHost: `localhost:${emu.httpPort}`,
    });
    expect(listed.text).toContain('<Key>vhost.txt</Key>');
  });
});
