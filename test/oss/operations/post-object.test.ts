// PostObject: browser form uploads signed with a policy (ali-oss calculatePostSignature / signPostObjectPolicyV4), sent
// as real multipart/form-data by fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { untyped, type UntypedOss } from '../../helpers/ali-oss-untyped.js';
import { errorOf } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: UntypedOss;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('form');
  client = untyped(ossClient(emu, bucket));
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const policyOf = (conditions: unknown[], expiration = inAnHour()) => ({ expiration, conditions });

/** Fields in order, then `file` last (as OSS requires). */
async function post(fields: Record<string, string>, file: Buffer | string, filename = 'clip.ts', target = bucket) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(typeof file === 'string' ? Buffer.from(file) : file)], { type: 'video/MP2T' }), filename);
  const res = await fetch(`${emu.endpoint}/${target}`, { method: 'POST', body: form, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const err = (res: { status: number; text: string }) => errorOf({ status: res.status, headers: {}, text: res.text });
const signed = (policy: object) => client.calculatePostSignature(policy) as unknown as Record<string, string>;

describe('PostObject', () => {
  it("stores the file under the key with the form's metadata: 204 by default, as OSS", async () => {
    const fields = {
      key: 'uploads/${filename}',
      'x-oss-meta-owner': 'browser',
      'Content-Type': 'video/MP2T',
      ...signed(policyOf([{ bucket }, ['starts-with', '$key', 'uploads/'], ['content-length-range', 1, 1024]])),
    };
    const res = await post(fields, 'segment bytes');
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toMatch(/^"[0-9A-F]{32}"$/);
    const got = await client.get('uploads/clip.ts');
    expect(got.content.toString()).toBe('segment bytes');
    expect(got.res.headers).toMatchObject({ 'x-oss-meta-owner': 'browser', 'content-type': 'video/MP2T' });
  });

  it('answers 201 with a PostResponse, 200, or a 303 to success_action_redirect', async () => {
    const sig = signed(policyOf([]));
    const created = await post({ key: 'a.txt', success_action_status: '201', ...sig }, 'a');
    expect(created.status).toBe(201);
    expect(created.text).toMatch(
      /<PostResponse><Bucket>[^<]+<\/Bucket><Location>http:\/\/[^<]+\/a\.txt<\/Location><Key>a\.txt<\/Key><ETag>(&quot;|")[0-9A-F]{32}(&quot;|")<\/ETag><\/PostResponse>/,
    );
    expect((await post({ key: 'b.txt', success_action_status: '200', ...sig }, 'b')).status).toBe(200);
    const redirected = await post({ key: 'c.txt', success_action_redirect: 'http://app.example/done', ...sig }, 'c');
    expect(redirected.status).toBe(303);
    const location = new URL(redirected.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ bucket, key: 'c.txt' });
  });

  it('refuses a wrong signature, an expired policy, a failed condition and sizes outside content-length-range', async () => {
    const sig = signed(
      policyOf([
        ['starts-with', '$key', 'ok/'],
        ['content-length-range', 2, 5],
      ]),
    );
    const wrong = await post({ key: 'ok/x', ...sig, Signature: 'AAAA' + sig.Signature!.slice(4) }, 'abc');
    expect(err(wrong)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const expired = await post({ key: 'ok/x', ...signed(policyOf([], new Date(Date.now() - 1000).toISOString())) }, 'abc');
    expect(err(expired)).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
    const condition = await post({ key: 'elsewhere/x', ...sig }, 'abc');
    expect(err(condition)).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(err(condition).message).toMatch(/^Invalid according to Policy: Policy Condition failed/);
    expect(err(await post({ key: 'ok/big', ...sig }, 'too long'))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(err(await post({ key: 'ok/small', ...sig }, 'a'))).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    for (const key of ['ok/x', 'ok/big', 'ok/small', 'elsewhere/x']) expect(emu.state.object(bucket, key)).toBeUndefined();
  });

  it('is anonymous only on a public-read-write bucket', async () => {
    expect(err(await post({ key: 'anon.txt' }, 'x'))).toMatchObject({ status: 403, code: 'AccessDenied' });
    const open = uniqueBucket('formopen');
    await client.putBucket(open, { acl: 'public-read-write' });
    expect((await post({ key: 'anon.txt' }, 'x', 'f', open)).status).toBe(204);
  });

  it('accepts the V4 form signature (OSS4-HMAC-SHA256 over the policy)', async () => {
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replace(/-/g, '');
    const policy = policyOf([{ bucket }]);
    const v4 = untyped(ossClient(emu, bucket, { region: 'oss-cn-hangzhou' }));
    const signature = (v4 as unknown as { signPostObjectPolicyV4(p: object, d: Date): string }).signPostObjectPolicyV4(policy, now);
    const fields = {
      key: 'v4.txt',
      policy: Buffer.from(JSON.stringify(policy)).toString('base64'),
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': `${emu.accessKeyId}/${day}/cn-hangzhou/oss/aliyun_v4_request`,
      'x-oss-date': `${day}T000000Z`,
      'x-oss-signature': signature,
    };
    expect((await post(fields, 'v4')).status).toBe(204);
    expect(err(await post({ ...fields, 'x-oss-signature': '0'.repeat(64) }, 'v4'))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses a form without a file field', async () => {
    const form = new FormData();
    form.append('key', 'nofile');
    const res = await fetch(`${emu.endpoint}/${bucket}`, { method: 'POST', body: form });
    expect(errorOf({ status: res.status, headers: {}, text: await res.text() })).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });
});
