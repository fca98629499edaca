// Stored-only bucket configuration (encryption, logging, website, policy): validated, stored, returned, deleted; and
// the operations left out on purpose answer NotImplemented naming the operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { untyped, type UntypedOss } from '../../helpers/ali-oss-untyped.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: UntypedOss;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('docs');
  client = untyped(ossClient(emu, bucket));
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const put = (sub: string, body: string, contentType = 'application/xml') =>
  signedRequest(emu, { method: 'PUT', bucket, query: [[sub, '']], body, contentType });
const get = (sub: string) => signedRequest(emu, { method: 'GET', bucket, query: [[sub, '']] });
const del = (sub: string) => signedRequest(emu, { method: 'DELETE', bucket, query: [[sub, '']] });

describe('stored-only bucket configuration', () => {
  it('encryption: put/get/delete through ali-oss; NoSuchServerSideEncryptionRule; bad algorithm refused', async () => {
    expect(errorOf(await get('encryption'))).toMatchObject({ status: 404, code: 'NoSuchServerSideEncryptionRule' });
    await client.putBucketEncryption(bucket, { SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1' });
    expect((await client.getBucketEncryption(bucket)).encryption).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1' });
    const bad = await put(
      'encryption',
      '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>ROT13</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>',
    );
    expect(errorOf(bad)).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect((await client.deleteBucketEncryption(bucket)).status).toBe(204);
    expect(errorOf(await get('encryption')).code).toBe('NoSuchServerSideEncryptionRule');
  });

  it('logging: put/get/delete through ali-oss; an empty status without a configuration; a missing target refused', async () => {
    expect((await client.getBucketLogging(bucket)).enable).toBe(false);
    await client.putBucketLogging(bucket, 'logs/');
    expect(await client.getBucketLogging(bucket)).toMatchObject({ enable: true, prefix: 'logs/' });
    const missing = await put(
      'logging',
      `<BucketLoggingStatus><LoggingEnabled><TargetBucket>${uniqueBucket('gone')}</TargetBucket></LoggingEnabled></BucketLoggingStatus>`,
    );
    expect(errorOf(missing)).toMatchObject({ status: 400, code: 'InvalidTargetBucketForLogging' });
    expect((await client.deleteBucketLogging(bucket)).res.status).toBe(204);
    expect((await client.getBucketLogging(bucket)).enable).toBe(false);
  });

  it('website: put/get/delete through ali-oss; NoSuchWebsiteConfiguration', async () => {
    expect(errorOf(await get('website'))).toMatchObject({ status: 404, code: 'NoSuchWebsiteConfiguration' });
    await client.putBucketWebsite(bucket, { index: 'index.html', error: 'error.html' } as never);
    expect(await client.getBucketWebsite(bucket)).toMatchObject({ index: 'index.html', error: 'error.html' });
    expect(errorOf(await put('website', '<WebsiteConfiguration></WebsiteConfiguration>')).code).toBe('MalformedXML');
    expect((await del('website')).status).toBe(204);
    expect(errorOf(await get('website')).code).toBe('NoSuchWebsiteConfiguration');
  });

  it('policy: JSON put/get/delete through ali-oss; NoSuchBucketPolicy; a malformed document refused', async () => {
    expect(errorOf(await get('policy'))).toMatchObject({ status: 404, code: 'NoSuchBucketPolicy' });
    const policy = {
      Version: '1',
      Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${bucket}/*`] }],
    };
    await client.putBucketPolicy(bucket, policy);
    expect((await client.getBucketPolicy(bucket)).policy).toEqual(policy);
    expect(errorOf(await put('policy', '{"Version":"1"', 'application/json'))).toMatchObject({
      status: 400,
      code: 'InvalidPolicyDocument',
    });
    expect(errorOf(await put('policy', '{"Version":"1","Statement":[]}', 'application/json')).code).toBe('InvalidPolicyDocument');
    expect((await client.deleteBucketPolicy(bucket)).status).toBe(204);
    expect(errorOf(await get('policy')).code).toBe('NoSuchBucketPolicy');
  });

  it('goes away with its bucket: a bucket created again under the name starts clean', async () => {
    const b = uniqueBucket('again');
    const c = untyped(ossClient(emu, b));
    await c.putBucket(b);
    await c.putBucketCORS(b, [{ allowedOrigin: '*', allowedMethod: 'GET' }] as never);
    await c.putBucketTags(b, { a: '1' });
    await c.deleteBucket(b);
    await c.putBucket(b);
    expect(errorOf(await signedRequest(emu, { method: 'GET', bucket: b, query: [['cors', '']] })).code).toBe('NoSuchCORSConfiguration');
    expect((await c.getBucketTags(b)).tag).toEqual({});
  });
});

describe('left out on purpose', () => {
  it('answers 501 NotImplemented naming the operation', async () => {
    const cases: Array<[string, string, ReadonlyArray<readonly [string, string]>, string, string]> = [
      [
        'PUT',
        '',
        [['versioning', '']],
        'PutBucketVersioning',
        '<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>',
      ],
      ['GET', '', [['versioning', '']], 'GetBucketVersioning', ''],
      ['GET', '', [['versions', '']], 'ListObjectVersions', ''],
      ['POST', '', [['worm', '']], 'InitiateBucketWorm', ''],
      ['GET', '', [['inventory', '']], 'ListBucketInventory', ''],
      [
        'POST',
        '',
        [
          ['replication', ''],
          ['comp', 'add'],
        ],
        'PutBucketReplication',
        '',
      ],
      ['GET', 'a.jpg', [['x-oss-process', 'image/resize,w_100']], 'x-oss-process', ''],
      ['POST', 'a.mp4', [['x-oss-async-process', '']], 'AsyncProcessObject', ''],
    ];
    for (const [method, key, query, name, body] of cases) {
      const res = await signedRequest(emu, {
        method,
        bucket,
        key,
        query,
        body: body || undefined,
        contentType: body ? 'application/xml' : undefined,
      });
      const e = errorOf(res);
      expect({ name, status: e.status, code: e.code }).toEqual({ name, status: 501, code: 'NotImplemented' });
      expect(e.message).toContain(name);
    }
  });
});
