import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('GetBucketInfo', () => {
  it('answers LRS, an empty Comment and SSEAlgorithm None for a plain bucket, in OSS element order', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name);
    const info = await client.getBucketInfo(name);
    const xml = (info.res as unknown as { data: Buffer }).data.toString();
    expect(xml).toContain('<DataRedundancyType>LRS</DataRedundancyType>');
    expect(xml).toMatch(
      /<\/AccessControlList><Comment><\/Comment><ServerSideEncryptionRule><SSEAlgorithm>None<\/SSEAlgorithm><\/ServerSideEncryptionRule>/,
    );
  });

  it('shows the rule PutBucketEncryption sets (AES256 has no KMSMasterKeyID)', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu);
    await client.putBucket(name);
    await (client as unknown as { putBucketEncryption(n: string, o: unknown): Promise<unknown> }).putBucketEncryption(name, {
      SSEAlgorithm: 'AES256',
    });
    const info = (await client.getBucketInfo(name)) as unknown as { bucket: { ServerSideEncryptionRule: unknown } };
    expect(info.bucket.ServerSideEncryptionRule).toEqual({ SSEAlgorithm: 'AES256' });
  });
});
