// ListBuckets' and GetBucketInfo's ExtranetEndpoint/IntranetEndpoint lead back to the emulator (issue 11 item 13, endpoints).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSS from 'ali-oss';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('endpoints');
  const client = ossClient(emu, bucket);
  await client.putBucket(bucket);
  await client.put('probe.txt', Buffer.from('reached'));
});
afterAll(() => emu.close());

const endpointOf = (xml: string) => /<ExtranetEndpoint>([^<]*)<\/ExtranetEndpoint>/.exec(xml)?.[1];

describe('bucket endpoints', () => {
  it('GetBucketInfo over a virtual-hosted name gives the service endpoint without the bucket label', async () => {
    const res = await signedRequest(emu, {
      method: 'GET',
      bucket,
      query: [['bucketInfo', '']],
      virtualHost: `oss-cn-hangzhou.aliyuncs.com:${emu.httpPort}`,
    });
    expect(res.status).toBe(200);
    expect(endpointOf(res.text)).toBe(`oss-cn-hangzhou.aliyuncs.com:${emu.httpPort}`);
    expect(/<IntranetEndpoint>([^<]*)<\/IntranetEndpoint>/.exec(res.text)?.[1]).toBe(`oss-cn-hangzhou.aliyuncs.com:${emu.httpPort}`);
  });

  it('a client built from ListBuckets’ ExtranetEndpoint (ali-oss IP endpoint) reaches the emulator', async () => {
    // ali-oss resolves to { buckets: [...] } (its typings say Bucket[]).
    const listed = (await ossClient(emu).listBuckets({ prefix: bucket })) as unknown as {
      buckets: Array<{ name: string; extranetEndpoint?: string }>;
    };
    const entry = listed.buckets.find((b) => b.name === bucket);
    const endpoint =
      entry?.extranetEndpoint ?? endpointOf((await signedRequest(emu, { method: 'GET', bucket, query: [['bucketInfo', '']] })).text);
    expect(endpoint).toBe(new URL(emu.endpoint).host);
    const client = new OSS({
      endpoint: `http://${endpoint}`,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      bucket,
    } as OSS.Options);
    expect((await client.get('probe.txt')).content.toString()).toBe('reached');
  });
});
