import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

const ELEMENTS = [
  'Storage',
  'ObjectCount',
  'MultipartUploadCount',
  'LiveChannelCount',
  'LastModifiedTime',
  'StandardStorage',
  'StandardObjectCount',
  'InfrequentAccessStorage',
  'InfrequentAccessRealStorage',
  'InfrequentAccessObjectCount',
  'ArchiveStorage',
  'ArchiveRealStorage',
  'ArchiveObjectCount',
  'ColdArchiveStorage',
  'ColdArchiveRealStorage',
  'ColdArchiveObjectCount',
  'DeepColdArchiveStorage',
  'DeepColdArchiveRealStorage',
  'DeepColdArchiveObjectCount',
  'DeleteMarkerCount',
];

describe('GetBucketStat per storage class (ali-oss)', () => {
  it('counts objects and bytes per storage class; IA/Archive bill at least 64 KB each', async () => {
    const name = uniqueBucket();
    const client = ossClient(emu, name);
    await client.putBucket(name);
    await client.put('std-1', Buffer.alloc(100));
    await client.put('std-2', Buffer.alloc(50));
    await client.put('ia-1', Buffer.alloc(1000), { headers: { 'x-oss-storage-class': 'IA' } });
    await client.put('ia-2', Buffer.alloc(70 * 1024), { headers: { 'x-oss-storage-class': 'IA' } });
    await client.put('arc', Buffer.alloc(10), { headers: { 'x-oss-storage-class': 'Archive' } });
    await client.put('cold', Buffer.alloc(20), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
    const { stat, res } = await (
      client as unknown as { getBucketStat(n: string): Promise<{ stat: Record<string, string>; res: { data: Buffer } }> }
    ).getBucketStat(name);
    const ia = 1000 + 70 * 1024;
    expect(stat).toMatchObject({
      Storage: String(150 + ia + 30),
      ObjectCount: '6',
      StandardStorage: '150',
      StandardObjectCount: '2',
      InfrequentAccessStorage: String(64 * 1024 + 70 * 1024),
      InfrequentAccessRealStorage: String(ia),
      InfrequentAccessObjectCount: '2',
      ArchiveStorage: String(64 * 1024),
      ArchiveRealStorage: '10',
      ArchiveObjectCount: '1',
      ColdArchiveStorage: String(64 * 1024),
      ColdArchiveRealStorage: '20',
      ColdArchiveObjectCount: '1',
      DeepColdArchiveStorage: '0',
      DeepColdArchiveRealStorage: '0',
      DeepColdArchiveObjectCount: '0',
    });
    const order = [...res.data.toString().matchAll(/<(\w+)>/g)].map((m) => m[1]).filter((n) => n !== 'BucketStat');
    expect(order).toEqual(ELEMENTS);
  });
});
