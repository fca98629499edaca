// Lifecycle rules: Put/Get/DeleteBucketLifecycle with OSS's validation, and expiry applied at the emulator clock's time
// through POST /-/lifecycle/run and the --lifecycle-interval timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { waitFor } from '../../helpers/live.js';
import { untyped } from '../../helpers/ali-oss-untyped.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';
import { internalsOf } from '../../../src/testing/internal.js';

let emu: Emulator;
const DAY = 86_400_000;

beforeAll(async () => {
  emu = await startTestEmulator({ lifecycleIntervalMs: 0 });
});
afterAll(() => emu.close());

const putLifecycle = (bucket: string, rules: string) =>
  signedRequest(emu, {
    method: 'PUT',
    bucket,
    query: [['lifecycle', '']],
    body: `<LifecycleConfiguration>${rules}</LifecycleConfiguration>`,
    contentType: 'application/xml',
  });
const runNow = async () =>
  (await (await fetch(`${emu.endpoint}/-/lifecycle/run`, { method: 'POST' })).json()) as {
    deleted: Array<{ key: string; rule: string }>;
    abortedUploads: unknown[];
  };

describe('Put/Get/DeleteBucketLifecycle', () => {
  it('round-trips rules through ali-oss and answers NoSuchLifecycle once deleted', async () => {
    const bucket = uniqueBucket('lc');
    const client = untyped(ossClient(emu, bucket));
    await client.putBucket(bucket);
    const none = await signedRequest(emu, { method: 'GET', bucket, query: [['lifecycle', '']] });
    expect(errorOf(none)).toMatchObject({ status: 404, code: 'NoSuchLifecycle' });
    await client.putBucketLifecycle(bucket, [
      { id: 'old-segments', prefix: 'cam/', status: 'Enabled', expiration: { days: 1 } },
      {
        id: 'archive',
        prefix: 'vod/',
        status: 'Disabled',
        transition: { days: 30, storageClass: 'IA' },
        expiration: { createdBeforeDate: '2030-01-01T00:00:00.000Z' },
      },
      { id: 'uploads', prefix: '', status: 'Enabled', abortMultipartUpload: { days: 2 } },
    ] as never);
    const got = await client.getBucketLifecycle(bucket);
    expect(got.rules).toEqual([
      { id: 'old-segments', prefix: 'cam/', status: 'Enabled', expiration: { days: '1' } },
      {
        id: 'archive',
        prefix: 'vod/',
        status: 'Disabled',
        expiration: { createdBeforeDate: '2030-01-01T00:00:00.000Z' },
        transition: { days: '30', storageClass: 'IA' },
      },
      { id: 'uploads', prefix: '', status: 'Enabled', abortMultipartUpload: { days: '2' } },
    ]);
    const raw = await signedRequest(emu, { method: 'GET', bucket, query: [['lifecycle', '']] });
    expect(raw.text).toContain(
      '<Rule><ID>old-segments</ID><Prefix>cam/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>',
    );
    expect((await signedRequest(emu, { method: 'DELETE', bucket, query: [['lifecycle', '']] })).status).toBe(204);
    expect(errorOf(await signedRequest(emu, { method: 'GET', bucket, query: [['lifecycle', '']] })).code).toBe('NoSuchLifecycle');
  });

  it('refuses invalid rules (MalformedXML / InvalidArgument) and keeps the stored ones', async () => {
    const bucket = uniqueBucket('lcbad');
    await ossClient(emu, bucket).putBucket(bucket);
    const ok = '<Rule><ID>a</ID><Prefix>x/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days></Expiration></Rule>';
    expect((await putLifecycle(bucket, ok)).status).toBe(200);
    const cases: Array<[string, string]> = [
      ['', 'MalformedXML'],
      ['<Rule><ID>a</ID><Prefix>x</Prefix><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>', 'MalformedXML'],
      ['<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status></Rule>', 'InvalidArgument'],
      ['<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>', 'InvalidArgument'],
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><Days>1</Days><CreatedBeforeDate>2020-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration></Rule>',
        'InvalidArgument',
      ],
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><CreatedBeforeDate>2020-01-01T10:00:00.000Z</CreatedBeforeDate></Expiration></Rule>',
        'InvalidArgument',
      ],
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>Cold</StorageClass></Transition></Rule>',
        'InvalidArgument',
      ],
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><Days>5</Days></Expiration><Transition><Days>9</Days><StorageClass>IA</StorageClass></Transition></Rule>',
        'InvalidArgument',
      ],
      [`${ok}${ok}`, 'InvalidArgument'],
      // oss2 test_put_lifecycle_invalid_transitions: Archive after fewer Days than IA.
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Expiration><Days>6</Days></Expiration><Transition><Days>5</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>2</Days><StorageClass>Archive</StorageClass></Transition></Rule>',
        'InvalidArgument',
      ],
      // oss2 test_lifecycle_object_tagging_exceptions_*: tag characters are checked, lengths are not.
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Tag><Key>%&amp;</Key><Value>test</Value></Tag><Expiration><Days>6</Days></Expiration></Rule>',
        'InvalidTag',
      ],
      [
        '<Rule><ID>a</ID><Prefix>x</Prefix><Status>Enabled</Status><Tag><Key>test</Key><Value>)%</Value></Tag><Expiration><Days>6</Days></Expiration></Rule>',
        'InvalidTag',
      ],
    ];
    for (const [rules, code] of cases) {
      const res = await putLifecycle(bucket, rules);
      expect({ rules, status: res.status, code: errorOf(res).code }).toEqual({ rules, status: 400, code });
    }
    expect((await ossClient(emu, bucket).getBucketLifecycle(bucket)).rules).toEqual([
      { id: 'a', prefix: 'x/', status: 'Enabled', expiration: { days: '3' } },
    ]);
  });

  it('takes tag filters longer than object tags allow, and ordered transitions', async () => {
    const bucket = uniqueBucket('lctag');
    await ossClient(emu, bucket).putBucket(bucket);
    const long = `<Rule><ID>t</ID><Prefix>x</Prefix><Status>Enabled</Status><Tag><Key>${'a'.repeat(129)}</Key><Value>${'b'.repeat(257)}</Value></Tag><Expiration><Days>9</Days></Expiration><Transition><Days>2</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>5</Days><StorageClass>Archive</StorageClass></Transition></Rule>`;
    expect((await putLifecycle(bucket, long)).status).toBe(200);
  });
});

describe('expiration applied', () => {
  it('deletes objects under the prefix once Days have passed on the emulator clock, and only those', async () => {
    const bucket = uniqueBucket('lcrun');
    const client = untyped(ossClient(emu, bucket));
    await client.putBucket(bucket);
    for (const key of ['cam/1.ts', 'cam/2.ts', 'cam/playlist.m3u8', 'keep/1.ts']) await client.put(key, Buffer.from(key));
    await client.put('cam/tagged.ts', Buffer.from('t'), { headers: { 'x-oss-tagging': 'keep=yes' } });
    await client.putBucketLifecycle(bucket, [
      { id: 'segments', prefix: 'cam/', status: 'Enabled', expiration: { days: 1 } },
      { id: 'disabled', prefix: 'keep/', status: 'Disabled', expiration: { days: 1 } },
    ] as never);
    expect((await runNow()).deleted.filter((d) => d.key.startsWith('cam/'))).toEqual([]);
    emu.clock.advance(DAY + 60_000);
    const run = await runNow();
    expect(
      run.deleted
        .filter((d) => (d as { bucket?: string }).bucket === bucket)
        .map((d) => d.key)
        .sort(),
    ).toEqual(['cam/1.ts', 'cam/2.ts', 'cam/playlist.m3u8', 'cam/tagged.ts']);
    const left = await client.list({ prefix: '' } as never);
    expect(left.objects.map((o: { name: string }) => o.name)).toEqual(['keep/1.ts']);
  });

  it('applies tag filters, Filter/Not and CreatedBeforeDate', async () => {
    const bucket = uniqueBucket('lcfilter');
    const client = untyped(ossClient(emu, bucket));
    await client.putBucket(bucket);
    await client.put('a/old.ts', Buffer.from('1'), { headers: { 'x-oss-tagging': 'kind=segment' } });
    await client.put('a/untagged.ts', Buffer.from('2'));
    await client.put('a/keep/x.ts', Buffer.from('3'), { headers: { 'x-oss-tagging': 'kind=segment' } });
    const tomorrow = new Date(Math.ceil((emu.clock.now() + DAY) / DAY) * DAY).toISOString();
    const rules =
      `<Rule><ID>tagged</ID><Prefix>a/</Prefix><Status>Enabled</Status><Expiration><CreatedBeforeDate>${tomorrow}</CreatedBeforeDate></Expiration>` +
      '<Tag><Key>kind</Key><Value>segment</Value></Tag><Filter><Not><Prefix>a/keep/</Prefix></Not></Filter></Rule>';
    expect((await putLifecycle(bucket, rules)).status).toBe(200);
    expect((await runNow()).deleted.filter((d) => (d as { bucket?: string }).bucket === bucket).map((d) => d.key)).toEqual(['a/old.ts']);
    expect(emu.state.object(bucket, 'a/untagged.ts')).toBeDefined();
    expect(emu.state.object(bucket, 'a/keep/x.ts')).toBeDefined();
  });

  it('aborts multipart uploads older than AbortMultipartUpload Days', async () => {
    const bucket = uniqueBucket('lcmpu');
    const client = untyped(ossClient(emu, bucket));
    await client.putBucket(bucket);
    const { uploadId } = await client.initMultipartUpload('big/recording.flv');
    await client.putBucketLifecycle(bucket, [{ id: 'mpu', prefix: 'big/', status: 'Enabled', abortMultipartUpload: { days: 1 } }] as never);
    emu.clock.advance(2 * DAY);
    const run = await runNow();
    expect(run.abortedUploads).toContainEqual({ bucket, key: 'big/recording.flv', uploadId, rule: 'mpu' });
    expect(internalsOf(emu).services.store.uploads.get(uploadId)).toBeUndefined();
  });

  it('runs on its own every --lifecycle-interval', async () => {
    const timed = await startTestEmulator({ lifecycleIntervalMs: 100 });
    try {
      const bucket = uniqueBucket('lctimer');
      const client = untyped(ossClient(timed, bucket));
      await client.putBucket(bucket);
      await client.put('cam/1.ts', Buffer.from('x'));
      await client.putBucketLifecycle(bucket, [{ id: 'r', prefix: 'cam/', status: 'Enabled', expiration: { days: 1 } }] as never);
      timed.clock.advance(2 * DAY);
      await waitFor(() => (timed.state.object(bucket, 'cam/1.ts') === undefined ? true : undefined), 5000, 'the timer to expire cam/1.ts');
    } finally {
      await timed.close();
    }
  });
});
