// Only listed sub-resources reach an operation; anything else is NotImplemented (issue 11 item 12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { detectOperation } from '../../src/oss/detect-operation.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { errorOf, signedRequest } from '../helpers/signed-request.js';

const q = (...names: string[]) =>
  names.map((n) => {
    const eq = n.indexOf('=');
    return (eq === -1 ? [n, ''] : [n.slice(0, eq), n.slice(eq + 1)]) as [string, string];
  });

describe('detectOperation', () => {
  it('answers unknown sub-resources as unsupported at every level', () => {
    expect(detectOperation('GET', undefined, '', q('regions'))).toHaveProperty('unsupported');
    expect(detectOperation('GET', 'b', '', q('accessmonitor'))).toHaveProperty('unsupported');
    expect(detectOperation('GET', 'b', '', q('resourceGroup'))).toHaveProperty('unsupported');
    expect(detectOperation('GET', 'b', '', q('qosInfo'))).toHaveProperty('unsupported');
    expect(detectOperation('PUT', 'b', '', q('resourceGroup'))).toHaveProperty('unsupported');
    expect(detectOperation('GET', 'b', 'k', q('x-oss-process=image/resize,w_10'))).toHaveProperty('unsupported');
    expect(detectOperation('GET', 'b', 'k', q('live', 'comp=unknown'))).toHaveProperty('unsupported');
    expect(detectOperation('DELETE', 'b', 'k', q('qos'))).toHaveProperty('unsupported');
  });

  it('names the operations left out on purpose, and routes the bucket-rule and tagging sub-resources', () => {
    expect(detectOperation('PUT', 'b', '', q('versioning'))).toEqual({ unsupported: 'PutBucketVersioning' });
    expect(detectOperation('GET', 'b', '', q('inventory', 'inventoryId=x'))).toEqual({ unsupported: 'GetBucketInventory' });
    expect(detectOperation('DELETE', 'b', 'k', q('tagging'))).toEqual({ operation: 'DeleteObjectTagging' });
    expect(detectOperation('DELETE', 'b', '', q('tagging'))).toEqual({ operation: 'DeleteBucketTags' });
    expect(detectOperation('PUT', 'b', 'k', q('symlink'))).toEqual({ operation: 'PutSymlink' });
    expect(detectOperation('GET', 'b', '', q('lifecycle'))).toEqual({ operation: 'GetBucketLifecycle' });
    expect(detectOperation('POST', 'b', '', q())).toEqual({ operation: 'PostObject' });
  });

  it('lets listed sub-resources, authentication parameters and ordinary parameters through', () => {
    expect(detectOperation('GET', 'b', 'k', q('response-content-type=text/plain', 'OSSAccessKeyId=a', 'Expires=1', 'Signature=s'))).toEqual(
      { operation: 'GetObject' },
    );
    // OSS ignores response-* on a PUT (the Go SDK presigns PutObject URLs with response-content-encoding).
    expect(
      detectOperation('PUT', 'b', 'k', q('response-content-encoding=deflate', 'OSSAccessKeyId=a', 'Expires=1', 'Signature=s')),
    ).toEqual({
      operation: 'PutObject',
    });
    expect(
      detectOperation(
        'GET',
        'b',
        'k',
        q(
          'x-oss-signature-version=OSS4-HMAC-SHA256',
          'x-oss-credential=c',
          'x-oss-date=d',
          'x-oss-expires=1',
          'x-oss-signature=s',
          'security-token=t',
        ),
      ),
    ).toEqual({ operation: 'GetObject' });
    expect(detectOperation('GET', 'b', '', q('list-type=2', 'continuation-token=x', 'prefix=', 'max-keys=10'))).toEqual({
      operation: 'ListObjectsV2',
    });
    expect(detectOperation('GET', 'b', '', q('prefix=', 'marker=', 'delimiter=', 'encoding-type=url'))).toEqual({
      operation: 'ListObjects',
    });
    expect(detectOperation('POST', 'b', 'ch/v.m3u8', q('vod', 'startTime=1', 'endTime=2'))).toEqual({ operation: 'PostVodPlaylist' });
    expect(detectOperation('GET', 'b', 'ch', q('live', 'comp=history'))).toEqual({ operation: 'GetLiveChannelHistory' });
    // A parameter OSS does not know (a cache buster) is not a sub-resource.
    expect(detectOperation('GET', 'b', 'k', q('v=2'))).toEqual({ operation: 'GetObject' });
  });
});

describe('unknown sub-resources over HTTP', () => {
  let emu: Emulator;
  let bucket: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = uniqueBucket('subres');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('obj', Buffer.from('x'));
  });
  afterAll(() => emu.close());

  for (const [label, query] of [
    ['?accessmonitor', 'accessmonitor'],
    ['?resourceGroup', 'resourceGroup'],
    ['?qosInfo', 'qosInfo'],
  ] as const) {
    it(`GET bucket ${label} is 501 NotImplemented, not the object listing`, async () => {
      const res = await signedRequest(emu, { method: 'GET', bucket, query: [[query, '']] });
      expect(errorOf(res)).toMatchObject({ status: 501, code: 'NotImplemented' });
    });
  }

  it('PUT bucket?resourceGroup does not create a bucket', async () => {
    const other = uniqueBucket('rg');
    const res = await signedRequest(emu, {
      method: 'PUT',
      bucket: other,
      query: [['resourceGroup', '']],
      body: '<BucketResourceGroupConfiguration/>',
    });
    expect(errorOf(res)).toMatchObject({ status: 501, code: 'NotImplemented' });
    expect(emu.state.bucket(other)).toBeUndefined();
  });

  it('GET /?regions is 501, not the bucket listing', async () => {
    const client = ossClient(emu);
    const err = await (client as unknown as { request(p: object): Promise<unknown> })
      .request({ method: 'GET', subres: 'regions', successStatuses: [200] })
      .catch((e: { status: number; code: string }) => e);
    expect(err).toMatchObject({ status: 501, code: 'NotImplemented' });
  });
});
