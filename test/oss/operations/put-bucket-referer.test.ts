// Hotlink protection (PutBucketReferer / GetBucketReferer) and its enforcement on anonymous and URL-signed reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('ref');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket, { acl: 'public-read' } as never);
  await client.put('cam/playlist.m3u8', Buffer.from('#EXTM3U\n'));
});
afterAll(() => emu.close());

const anonymous = async (referer?: string) => {
  const res = await fetch(`${emu.endpoint}/${bucket}/cam/playlist.m3u8`, { headers: referer === undefined ? {} : { referer } });
  return errorOrOk(res);
};
const errorOrOk = async (res: Response) => {
  const text = await res.text();
  return res.status === 200
    ? { status: 200, code: '', ec: undefined }
    : (({ status, code, ec }) => ({ status, code, ec }))(errorOf({ status: res.status, headers: {}, text }));
};

describe('bucket referer', () => {
  it('answers the allow-everything default before any is put', async () => {
    const got = await client.getBucketReferer(bucket);
    expect(got).toMatchObject({ allowEmpty: true, referers: null });
    const raw = await signedRequest(emu, { method: 'GET', bucket, query: [['referer', '']] });
    expect(raw.text).toContain(
      '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><AllowTruncateQueryString>true</AllowTruncateQueryString>' +
        '<TruncatePath>false</TruncatePath><RefererList></RefererList></RefererConfiguration>',
    );
    expect((await anonymous('http://anyone.test/')).status).toBe(200);
  });

  it('round-trips through ali-oss', async () => {
    await client.putBucketReferer(bucket, false, ['https://*.player.example/*', 'http://localhost:????/*']);
    expect(await client.getBucketReferer(bucket)).toMatchObject({
      allowEmpty: false,
      referers: ['https://*.player.example/*', 'http://localhost:????/*'],
    });
  });

  it('refuses anonymous reads from other referers with 403 AccessDenied and the EC OSS gives', async () => {
    expect(await anonymous('https://www.player.example/watch?v=1')).toMatchObject({ status: 200 });
    expect(await anonymous('http://localhost:5173/index.html')).toMatchObject({ status: 200 });
    expect(await anonymous('http://localhost:80/x')).toMatchObject({ status: 403, code: 'AccessDenied', ec: '0003-00000503' });
    expect(await anonymous('https://evil.example/')).toMatchObject({ status: 403, code: 'AccessDenied', ec: '0003-00000503' });
    expect(await anonymous()).toMatchObject({ status: 403, code: 'AccessDenied', ec: '0003-00000501' });
    const res = await fetch(`${emu.endpoint}/${bucket}/cam/playlist.m3u8`, { headers: { referer: 'https://evil.example/' } });
    expect(errorOf({ status: res.status, headers: {}, text: await res.text() }).message).toBe('You are denied by bucket referer policy.');
  });

  it('applies to presigned URLs too, but never to requests signed in the Authorization header', async () => {
    const url = presignedUrl(emu, bucket, 'cam/playlist.m3u8', { expires: 600 });
    expect((await errorOrOk(await fetch(url, { headers: { referer: 'https://evil.example/' } }))).ec).toBe('0003-00000503');
    expect((await errorOrOk(await fetch(url, { headers: { referer: 'https://a.player.example/' } }))).status).toBe(200);
    const signed = await signedRequest(emu, {
      method: 'GET',
      bucket,
      key: 'cam/playlist.m3u8',
      headers: { referer: 'https://evil.example/' },
    });
    expect(signed.status).toBe(200);
    expect((await client.get('cam/playlist.m3u8')).res.status).toBe(200);
  });

  it('checks the blacklist first, and the query string only when AllowTruncateQueryString is false', async () => {
    const body =
      '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><AllowTruncateQueryString>false</AllowTruncateQueryString>' +
      '<RefererList><Referer>*.example.com/page</Referer></RefererList><RefererBlacklist><Referer>http://bad.example.com*</Referer></RefererBlacklist>' +
      '</RefererConfiguration>';
    expect(
      (await signedRequest(emu, { method: 'PUT', bucket, query: [['referer', '']], body, contentType: 'application/xml' })).status,
    ).toBe(200);
    expect(await anonymous('http://bad.example.com/page')).toMatchObject({ status: 403, ec: '0003-00000502' });
    expect(await anonymous('https://good.example.com/page')).toMatchObject({ status: 200 });
    expect(await anonymous('https://good.example.com/page?x=1')).toMatchObject({ status: 403, ec: '0003-00000503' });
    expect(await anonymous()).toMatchObject({ status: 200 });
  });

  it('is turned off again by ali-oss deleteBucketReferer, and refuses malformed configurations', async () => {
    await client.deleteBucketReferer(bucket);
    expect(await anonymous('https://evil.example/')).toMatchObject({ status: 200 });
    const missing = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      query: [['referer', '']],
      body: '<RefererConfiguration></RefererConfiguration>',
      contentType: 'application/xml',
    });
    expect(errorOf(missing)).toMatchObject({ status: 400, code: 'MalformedXML' });
    const badBool = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      query: [['referer', '']],
      body: '<RefererConfiguration><AllowEmptyReferer>maybe</AllowEmptyReferer></RefererConfiguration>',
      contentType: 'application/xml',
    });
    expect(errorOf(badBool)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });
});
