import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

type Info = { bucket: Record<string, unknown> & { ServerSideEncryptionRule: Record<string, string> } };

describe('PutBucket CreateBucketConfiguration and SSE headers (ali-oss)', () => {
  it('stores DataRedundancyType ZRS and returns it in GetBucketInfo', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name, { StorageClass: 'IA', DataRedundancyType: 'ZRS' } as never);
    const info = (await client.getBucketInfo(name)) as unknown as Info;
    expect(info.bucket.DataRedundancyType).toBe('ZRS');
    expect(info.bucket.StorageClass).toBe('IA');
  });

  it('refuses an unknown DataRedundancyType with InvalidArgument and creates nothing', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    const err = await client.putBucket(name, { DataRedundancyType: 'GRS' } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(emu.state.bucket(name)).toBeUndefined();
  });

  it('stores the x-oss-server-side-encryption headers as the bucket encryption rule', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    const headers = {
      'x-oss-server-side-encryption': 'KMS',
      'x-oss-server-side-encryption-key-id': 'key-1234',
      'x-oss-server-side-data-encryption': 'SM4',
    };
    await client.putBucket(name, { headers } as never);
    const info = (await client.getBucketInfo(name)) as unknown as Info;
    expect(info.bucket.ServerSideEncryptionRule).toEqual({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1234', KMSDataEncryption: 'SM4' });
    const enc = await (
      client as unknown as { getBucketEncryption(n: string): Promise<{ encryption: Record<string, string> }> }
    ).getBucketEncryption(name);
    expect(enc.encryption).toMatchObject({ SSEAlgorithm: 'KMS', KMSMasterKeyID: 'key-1234' });
  });

  it('refuses an unknown SSE algorithm and creates nothing', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    const err = await client.putBucket(name, { headers: { 'x-oss-server-side-encryption': 'DES' } } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(emu.state.bucket(name)).toBeUndefined();
  });
});
