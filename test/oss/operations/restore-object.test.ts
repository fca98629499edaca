import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;

beforeAll(async () => {
  emu = await startTestEmulator({ restoreDelayMs: 60_000 });
  bucket = uniqueBucket('cold');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

describe('storage classes', () => {
  it('stores x-oss-storage-class on Put, Copy and Initiate and returns it on Head/Get', async () => {
    await client.put('ia.txt', Buffer.from('ia'), { headers: { 'x-oss-storage-class': 'IA' } });
    expect(headersOf((await client.head('ia.txt')).res)['x-oss-storage-class']).toBe('IA');
    expect(headersOf((await client.get('ia.txt')).res)['x-oss-storage-class']).toBe('IA');
    await client.copy('ia-copy.txt', 'ia.txt', { headers: { 'x-oss-storage-class': 'ColdArchive' } } as never);
    expect(headersOf((await client.head('ia-copy.txt')).res)['x-oss-storage-class']).toBe('ColdArchive');
    const init = await client.initMultipartUpload('mp.bin', { headers: { 'x-oss-storage-class': 'Archive' } } as never);
    const part = await client.uploadPart('mp.bin', init.uploadId, 1, Buffer.from('x'), 0, 1);
    await client.completeMultipartUpload('mp.bin', init.uploadId, [{ number: 1, etag: part.etag }]);
    expect(headersOf((await client.head('mp.bin')).res)['x-oss-storage-class']).toBe('Archive');
    const bad = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'bad',
      body: 'x',
      ossHeaders: { 'x-oss-storage-class': 'Glacier' },
    });
    expect(errorOf(bad)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it("objects inherit the bucket's storage class given at PutBucket", async () => {
    const b = uniqueBucket('iab');
    await client.putBucket(b, { StorageClass: 'IA' } as never);
    const c = ossClient(emu, b);
    await c.put('plain', Buffer.from('p'));
    expect(headersOf((await c.head('plain')).res)['x-oss-storage-class']).toBe('IA');
    const listed = await signedRequest(emu, { method: 'GET', bucket: b });
    expect(listed.text).toContain('<StorageClass>IA</StorageClass>');
  });
});

describe('RestoreObject', () => {
  it('GetObject of an Archive object is 403 InvalidObjectState until restored; 202, then 409 while running, 200 when done', async () => {
    await client.put('frozen.bin', Buffer.from('archived bytes'), { headers: { 'x-oss-storage-class': 'Archive' } });
    await expect(client.get('frozen.bin')).rejects.toMatchObject({ status: 403, code: 'InvalidObjectState' });
    const head = await client.head('frozen.bin');
    expect(head.status).toBe(200);
    expect(headersOf(head.res)['x-oss-restore']).toBeUndefined();

    const started = (await client.restore('frozen.bin')) as unknown as { res: { status: number } };
    expect(started.res.status).toBe(202);
    expect(headersOf((await client.head('frozen.bin')).res)['x-oss-restore']).toBe('ongoing-request="true"');
    await expect(client.restore('frozen.bin')).rejects.toMatchObject({ status: 409, code: 'RestoreAlreadyInProgress' });
    await expect(client.get('frozen.bin')).rejects.toMatchObject({ status: 403, code: 'InvalidObjectState' });

    const listedOngoing = await client.list({ prefix: 'frozen.bin' } as never, {});
    expect((listedOngoing.objects[0] as unknown as { restoreInfo?: { ongoingRequest: boolean } }).restoreInfo).toEqual({
      ongoingRequest: true,
    });
    emu.clock.advance(60_000);
    const restored = headersOf((await client.head('frozen.bin')).res)['x-oss-restore'];
    expect(restored).toMatch(/^ongoing-request="false", expiry-date="[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT"$/);
    expect(((await client.get('frozen.bin')).content as Buffer).toString()).toBe('archived bytes');
    const listedDone = await client.list({ prefix: 'frozen.bin' } as never, {});
    expect((listedDone.objects[0] as unknown as { restoreInfo?: { ongoingRequest: boolean } }).restoreInfo?.ongoingRequest).toBe(false);
    const again = await signedRequest(emu, {
      method: 'POST',
      bucket,
      key: 'frozen.bin',
      query: [['restore', '']],
      body: '<RestoreRequest><Days>3</Days></RestoreRequest>',
    });
    expect(again.status).toBe(200);
    // The restored copy expires after its Days.
    emu.clock.advance(4 * 24 * 3600_000);
    await expect(client.get('frozen.bin')).rejects.toMatchObject({ status: 403, code: 'InvalidObjectState' });
  });

  it('ColdArchive restores with a JobParameters tier; a Standard object cannot be restored; a missing one is NoSuchKey', async () => {
    await client.put('cold.bin', Buffer.from('c'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
    const cold = (await client.restore('cold.bin', { type: 'ColdArchive', JobParameters: 'Expedited' } as never)) as unknown as {
      res: { status: number };
    };
    expect(cold.res.status).toBe(202);
    await client.put('warm.bin', Buffer.from('w'));
    const warm = await signedRequest(emu, { method: 'POST', bucket, key: 'warm.bin', query: [['restore', '']] });
    expect(errorOf(warm)).toMatchObject({ status: 400, code: 'OperationNotSupported' });
    const missing = await signedRequest(emu, { method: 'POST', bucket, key: 'missing.bin', query: [['restore', '']] });
    expect(errorOf(missing)).toMatchObject({ status: 404, code: 'NoSuchKey' });
  });

  it('an unrestored Archive object cannot be a copy source', async () => {
    await client.put('archived-src', Buffer.from('a'), { headers: { 'x-oss-storage-class': 'Archive' } });
    await expect(client.copy('archived-dst', 'archived-src')).rejects.toMatchObject({ status: 403, code: 'InvalidObjectState' });
  });
});

describe('RestoreObject request body (oss2 test_restore_object_with_config / _wrong_request / _archive_…_job_parameters)', () => {
  const restore = (key: string, body: string) =>
    signedRequest(emu, { method: 'POST', bucket, key, query: [['restore', '']], body, contentType: 'application/xml' });
  const request = (tier: string) => `<RestoreRequest><Days>5</Days><JobParameters><Tier>${tier}</Tier></JobParameters></RestoreRequest>`;

  it('answers a Cold Archive restore with x-oss-object-restore-priority: the Tier asked for, Standard by default', async () => {
    for (const tier of ['Expedited', 'Standard', 'Bulk']) {
      await client.put(`tier-${tier}.txt`, Buffer.from('123'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
      const res = await restore(`tier-${tier}.txt`, request(tier));
      expect(res.status, tier).toBe(202);
      expect(res.headers['x-oss-object-restore-priority'], tier).toBe(tier);
    }
    await client.put('tier-default.txt', Buffer.from('123'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
    const plain = await restore('tier-default.txt', '<RestoreRequest><Days>5</Days></RestoreRequest>');
    expect(plain.status).toBe(202);
    expect(plain.headers['x-oss-object-restore-priority']).toBe('Standard');
  });

  it('refuses an unknown Tier with 400 InvalidArgument (EC 0016-00000703) and starts nothing', async () => {
    await client.put('tier-wrong.txt', Buffer.from('123'), { headers: { 'x-oss-storage-class': 'ColdArchive' } });
    expect(errorOf(await restore('tier-wrong.txt', request('wrong-tier')))).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
      ec: '0016-00000703',
    });
    expect((await restore('tier-wrong.txt', request('Bulk'))).status).toBe(202);
  });

  it('refuses JobParameters for an Archive object with 400 MalformedXML', async () => {
    await client.put('archive-job.txt', Buffer.from('123'), { headers: { 'x-oss-storage-class': 'Archive' } });
    expect(errorOf(await restore('archive-job.txt', request('Bulk')))).toMatchObject({ status: 400, code: 'MalformedXML' });
    const plain = await restore('archive-job.txt', '<RestoreRequest><Days>5</Days></RestoreRequest>');
    expect(plain.status).toBe(202);
    expect(plain.headers['x-oss-object-restore-priority']).toBeUndefined();
  });
});
