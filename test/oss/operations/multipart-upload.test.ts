import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { crc64Of } from '../../../src/store/crc64.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';
import { untyped } from '../../helpers/ali-oss-untyped.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('mp');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const KB = 1024;
/** ali-oss's typings leave response headers and raw XML parts untyped. */
const headersOf = (res: { headers: object }) => res.headers as Record<string, string | undefined>;
type RawPart = { PartNumber: string; ETag: string; Size: string };
/** OSS's rule (not S3's): MD5 of the parts' upper-case hex MD5s as text. */
const multipartEtag = (parts: Buffer[]) => {
  const hexes = parts.map((p) => createHash('md5').update(p).digest('hex').toUpperCase()).join('');
  return `"${createHash('md5').update(hexes).digest('hex').toUpperCase()}-${parts.length}"`;
};

describe('ListMultipartUploads and AbortMultipartUpload (SDK set-up and tear-down)', () => {
  it('lists no uploads in a fresh bucket', async () => {
    const b = uniqueBucket('empty');
    await client.putBucket(b);
    const c = ossClient(emu, b);
    const listed = await c.listUploads({});
    expect(listed.res.status).toBe(200);
    expect(listed.uploads).toEqual([]);
    expect(listed.isTruncated).toBe(false);
    expect(listed.bucket).toBe(b);
    await c.deleteBucket(b);
  });

  it('lists uploads in progress by key then initiation, and aborting one removes it', async () => {
    const b = uniqueBucket('list');
    await client.putBucket(b);
    const c = ossClient(emu, b);
    const first = await c.initMultipartUpload('video/b.mp4');
    const second = await c.initMultipartUpload('video/b.mp4');
    const third = await c.initMultipartUpload('a.mp4');
    const listed = await c.listUploads({});
    expect(listed.uploads.map((u) => [u.name, u.uploadId])).toEqual([
      ['a.mp4', third.uploadId],
      ['video/b.mp4', first.uploadId],
      ['video/b.mp4', second.uploadId],
    ]);
    expect(listed.uploads[0]!.initiated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const stat = await signedRequest(emu, { method: 'GET', bucket: b, query: [['stat', '']] });
    expect(stat.text).toContain('<MultipartUploadCount>3</MultipartUploadCount>');
    // A bucket with uploads in progress cannot be deleted (OSS: delete the parts first).
    await expect(c.deleteBucket(b)).rejects.toMatchObject({ status: 409, code: 'BucketNotEmpty' });
    for (const u of listed.uploads) await c.abortMultipartUpload(u.name, u.uploadId);
    expect((await c.listUploads({})).uploads).toEqual([]);
    await c.deleteBucket(b);
  });

  it('pages with max-uploads, key-marker and upload-id-marker; groups with prefix and delimiter', async () => {
    const b = uniqueBucket('page');
    await client.putBucket(b);
    const c = ossClient(emu, b);
    const ids: string[] = [];
    for (const key of ['k1', 'k1', 'k2', 'dir/x', 'dir/y']) ids.push((await c.initMultipartUpload(key)).uploadId);
    const page1 = await c.listUploads({ 'max-uploads': 2 });
    expect(page1.isTruncated).toBe(true);
    expect(page1.uploads.map((u) => u.name)).toEqual(['dir/x', 'dir/y']);
    expect(page1.nextKeyMarker).toBe('dir/y');
    const page2 = await c.listUploads({
      'max-uploads': 2,
      'key-marker': page1.nextKeyMarker,
      'upload-id-marker': page1.nextUploadIdMarker,
    });
    expect(page2.uploads.map((u) => u.uploadId)).toEqual([ids[0], ids[1]]);
    const page3 = await c.listUploads({ 'max-uploads': 2, 'key-marker': 'k1', 'upload-id-marker': ids[0]! });
    expect(page3.uploads.map((u) => u.uploadId)).toEqual([ids[1], ids[2]]);
    expect(page3.isTruncated).toBe(false);
    // A key-marker alone lists only keys after it (upload ids of that key need an upload-id-marker), as ali-oss's test asserts.
    expect((await c.listUploads({ 'key-marker': 'k1' })).uploads.map((u) => u.uploadId)).toEqual([ids[2]]);
    const grouped = await signedRequest(emu, {
      method: 'GET',
      bucket: b,
      query: [
        ['uploads', ''],
        ['delimiter', '/'],
      ],
    });
    expect(grouped.text).toContain('<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>');
    expect(grouped.text.match(/<Upload>/g)).toHaveLength(3);
    const prefixed = await c.listUploads({ prefix: 'dir/' });
    expect(prefixed.uploads.map((u) => u.name)).toEqual(['dir/x', 'dir/y']);
    const encoded = await signedRequest(emu, {
      method: 'GET',
      bucket: b,
      query: [
        ['uploads', ''],
        ['encoding-type', 'url'],
        ['prefix', 'dir/'],
      ],
    });
    expect(encoded.text).toContain('<EncodingType>url</EncodingType>');
    expect(encoded.text).toContain('<Key>dir%2Fx</Key>');
    const bad = await signedRequest(emu, {
      method: 'GET',
      bucket: b,
      query: [
        ['uploads', ''],
        ['max-uploads', '1001'],
      ],
    });
    expect(errorOf(bad)).toMatchObject({ status: 400, code: 'InvalidArgument' });
  });

  it('answers NoSuchUpload to an abort, list or part of an unknown upload id', async () => {
    await expect(client.abortMultipartUpload('nothing', '0123456789ABCDEF0123456789ABCDEF')).rejects.toMatchObject({
      status: 404,
      code: 'NoSuchUpload',
    });
    const raw = await signedRequest(emu, { method: 'DELETE', bucket, key: 'nothing', query: [['uploadId', 'nope']] });
    expect(errorOf(raw)).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    expect(raw.text).toContain('<UploadId>nope</UploadId>');
    await expect(client.listParts('nothing', 'nope', {} as never)).rejects.toMatchObject({ status: 404, code: 'NoSuchUpload' });
    // An upload id of another key is no upload of this key.
    const other = await client.initMultipartUpload('other-key');
    await expect(client.abortMultipartUpload('nothing', other.uploadId)).rejects.toMatchObject({ code: 'NoSuchUpload' });
    await client.abortMultipartUpload('other-key', other.uploadId);
  });
});

describe('multipart upload through ali-oss', () => {
  it('uploads parts, lists them and completes into the concatenation of the parts (byte for byte)', async () => {
    const parts = [randomBytes(100 * KB), randomBytes(150 * KB + 7), randomBytes(10)];
    const init = await client.initMultipartUpload('big/file.bin', { mime: 'video/mp4', meta: { origin: 'test' } } as never);
    expect(init.bucket).toBe(bucket);
    expect(init.name).toBe('big/file.bin');
    expect(init.uploadId).toMatch(/^[0-9A-F]{32}$/);
    const done: { number: number; etag: string }[] = [];
    for (const [i, p] of parts.entries()) {
      const r = await client.uploadPart('big/file.bin', init.uploadId, i + 1, p, 0, p.length);
      expect(r.etag).toBe(`"${createHash('md5').update(p).digest('hex').toUpperCase()}"`);
      expect(headersOf(r.res)['x-oss-hash-crc64ecma']).toBe(crc64Of(p));
      done.push({ number: i + 1, etag: r.etag });
    }
    const listed = await client.listParts('big/file.bin', init.uploadId, {} as never);
    const listedParts = listed.parts as unknown as RawPart[];
    expect(listedParts.map((p) => [Number(p.PartNumber), p.ETag, Number(p.Size)])).toEqual(
      done.map((d, i) => [d.number, d.etag, parts[i]!.length]),
    );
    const paged = await client.listParts('big/file.bin', init.uploadId, { 'max-parts': '1', 'part-number-marker': '1' } as never);
    // ali-oss hands a single <Part> over as an object, not a list.
    expect(Number((paged.parts as unknown as { PartNumber: string }).PartNumber)).toBe(2);
    expect(String(paged.isTruncated)).toBe('true');
    expect(String(paged.nextPartNumberMarker)).toBe('2');

    const completed = await client.completeMultipartUpload('big/file.bin', init.uploadId, done);
    expect(completed.res.status).toBe(200);
    expect(completed.etag).toBe(multipartEtag(parts));
    const whole = Buffer.concat(parts);
    expect(headersOf(completed.res)['x-oss-hash-crc64ecma']).toBe(crc64Of(whole));

    const got = await client.get('big/file.bin');
    expect(Buffer.compare(got.content as Buffer, whole)).toBe(0);
    expect(got.res.headers).toMatchObject({
      etag: multipartEtag(parts),
      'content-type': 'video/mp4',
      'x-oss-object-type': 'Multipart',
      'x-oss-meta-origin': 'test',
      'x-oss-hash-crc64ecma': crc64Of(whole),
    });
    // A range across the part boundaries.
    const span = await client.get('big/file.bin', { headers: { Range: `bytes=${100 * KB - 5}-${250 * KB + 9}` } });
    expect(Buffer.compare(span.content as Buffer, whole.subarray(100 * KB - 5, 250 * KB + 10))).toBe(0);
    expect(headersOf(span.res)['x-oss-hash-crc64ecma']).toBeUndefined();
    // The upload is gone.
    await expect(client.listParts('big/file.bin', init.uploadId, {} as never)).rejects.toMatchObject({ code: 'NoSuchUpload' });
  });

  it('multipartUpload (the SDK helper) of a 1 MB buffer in 100 KB parts', async () => {
    const body = randomBytes(1024 * KB + 333);
    const r = await client.multipartUpload('helper.bin', body, { partSize: 100 * KB });
    expect(r.res.status).toBe(200);
    const got = await client.get('helper.bin');
    expect(Buffer.compare(got.content as Buffer, body)).toBe(0);
  });
});

describe('CompleteMultipartUpload validation (raw signed requests)', () => {
  const completeXml = (parts: { number: number; etag: string }[]) =>
    `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const complete = (key: string, uploadId: string, body: string, ossHeaders?: Record<string, string>) =>
    signedRequest(emu, { method: 'POST', bucket, key, query: [['uploadId', uploadId]], body, contentType: 'application/xml', ossHeaders });

  async function uploadWithParts(key: string, sizes: number[]) {
    const init = await client.initMultipartUpload(key);
    const parts = [];
    for (const [i, size] of sizes.entries()) {
      const bytes = randomBytes(size);
      parts.push({ number: i + 1, etag: (await client.uploadPart(key, init.uploadId, i + 1, bytes, 0, size)).etag, bytes });
    }
    return { uploadId: init.uploadId, parts };
  }

  it('InvalidPartOrder for parts out of order, InvalidPart for an unknown part or a wrong ETag, MalformedXML for none', async () => {
    const { uploadId, parts } = await uploadWithParts('v.bin', [100 * KB, 100 * KB]);
    expect(errorOf(await complete('v.bin', uploadId, completeXml([parts[1]!, parts[0]!])))).toMatchObject({
      status: 400,
      code: 'InvalidPartOrder',
    });
    expect(errorOf(await complete('v.bin', uploadId, completeXml([parts[0]!, parts[0]!])))).toMatchObject({
      status: 400,
      code: 'InvalidPartOrder',
    });
    expect(errorOf(await complete('v.bin', uploadId, completeXml([parts[0]!, { number: 3, etag: parts[1]!.etag }])))).toMatchObject({
      status: 400,
      code: 'InvalidPart',
    });
    expect(
      errorOf(await complete('v.bin', uploadId, completeXml([{ number: 1, etag: '"00000000000000000000000000000000"' }]))),
    ).toMatchObject({
      code: 'InvalidPart',
    });
    expect(errorOf(await complete('v.bin', uploadId, '<CompleteMultipartUpload></CompleteMultipartUpload>'))).toMatchObject({
      code: 'MalformedXML',
    });
    expect(errorOf(await complete('v.bin', uploadId, 'not xml'))).toMatchObject({ code: 'MalformedXML' });
    // Nothing was committed by the refusals; ETags without quotes are accepted (oss2 may send them so).
    await expect(client.head('v.bin')).rejects.toMatchObject({ status: 404 });
    const ok = await complete('v.bin', uploadId, completeXml(parts.map((p) => ({ number: p.number, etag: p.etag.replace(/"/g, '') }))));
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(
      /<CompleteMultipartUploadResult><Location>http:\/\/[^<]+\/v\.bin<\/Location><Bucket>[^<]+<\/Bucket><Key>v\.bin<\/Key><ETag>/,
    );
  });

  it('EntityTooSmall when a part other than the last is under 100 KB; a small last part is fine', async () => {
    const { uploadId, parts } = await uploadWithParts('small.bin', [100 * KB - 1, 10]);
    const refused = await complete('small.bin', uploadId, completeXml(parts));
    expect(errorOf(refused)).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    // Completing with only the first part makes it the last one: allowed.
    const ok = await complete('small.bin', uploadId, completeXml([parts[0]!]));
    expect(ok.status).toBe(200);
    expect(Buffer.compare((await client.get('small.bin')).content as Buffer, parts[0]!.bytes)).toBe(0);
  });

  it('x-oss-complete-all: yes completes with every uploaded part; a part uploaded twice keeps the last bytes', async () => {
    const { uploadId, parts } = await uploadWithParts('all.bin', [100 * KB, 300]);
    const replacement = randomBytes(100 * KB);
    await client.uploadPart('all.bin', uploadId, 1, replacement, 0, replacement.length);
    const done = await complete('all.bin', uploadId, '', { 'x-oss-complete-all': 'yes' });
    expect(done.status).toBe(200);
    expect(Buffer.compare((await client.get('all.bin')).content as Buffer, Buffer.concat([replacement, parts[1]!.bytes]))).toBe(0);
    const both = await uploadWithParts('all2.bin', [10]);
    expect(errorOf(await complete('all2.bin', both.uploadId, completeXml(both.parts), { 'x-oss-complete-all': 'yes' }))).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
    });
  });

  it('refuses part numbers outside 1-10000, and parts or completion of an aborted upload', async () => {
    const init = await client.initMultipartUpload('range.bin');
    for (const n of ['0', '10001', 'x']) {
      const r = await signedRequest(emu, {
        method: 'PUT',
        bucket,
        key: 'range.bin',
        query: [
          ['partNumber', n],
          ['uploadId', init.uploadId],
        ],
        body: 'x',
      });
      expect(errorOf(r)).toMatchObject({ status: 400, code: 'InvalidArgument' });
    }
    const last = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'range.bin',
      query: [
        ['partNumber', '10000'],
        ['uploadId', init.uploadId],
      ],
      body: 'x',
    });
    expect(last.status).toBe(200);
    await client.abortMultipartUpload('range.bin', init.uploadId);
    const late = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'range.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', init.uploadId],
      ],
      body: 'x',
    });
    expect(errorOf(late)).toMatchObject({ status: 404, code: 'NoSuchUpload' });
    expect(errorOf(await complete('range.bin', init.uploadId, '', { 'x-oss-complete-all': 'yes' }))).toMatchObject({
      code: 'NoSuchUpload',
    });
  });

  it('x-oss-forbid-overwrite on Complete keeps the existing object', async () => {
    await client.put('kept.bin', Buffer.from('original'));
    const { uploadId, parts } = await uploadWithParts('kept.bin', [5]);
    expect(errorOf(await complete('kept.bin', uploadId, completeXml(parts), { 'x-oss-forbid-overwrite': 'true' }))).toMatchObject({
      status: 409,
      code: 'FileAlreadyExists',
    });
    expect(((await client.get('kept.bin')).content as Buffer).toString()).toBe('original');
  });
});

describe('UploadPartCopy', () => {
  it('copies a range of an existing object into a part (ali-oss uploadPartCopy), byte for byte', async () => {
    const source = randomBytes(300 * KB);
    await client.put('copy-src.bin', source);
    const init = await client.initMultipartUpload('copy-dst.bin');
    const sourceData = { sourceKey: 'copy-src.bin', sourceBucketName: bucket };
    const p1 = await client.uploadPartCopy('copy-dst.bin', init.uploadId, 1, `0-${150 * KB - 1}`, sourceData, {});
    const p2 = await client.uploadPartCopy('copy-dst.bin', init.uploadId, 2, `${150 * KB}-${300 * KB - 1}`, sourceData, {});
    expect(p1.etag).toMatch(/^"[0-9A-F]{32}"$/);
    await client.completeMultipartUpload('copy-dst.bin', init.uploadId, [
      { number: 1, etag: p1.etag },
      { number: 2, etag: p2.etag },
    ]);
    expect(Buffer.compare((await client.get('copy-dst.bin')).content as Buffer, source)).toBe(0);
  });

  it('answers NoSuchKey for a missing source and InvalidArgument (EC 0042-00000301) for a malformed one', async () => {
    const init = await client.initMultipartUpload('copy-bad.bin');
    const copyPart = (source: string) =>
      signedRequest(emu, {
        method: 'PUT',
        bucket,
        key: 'copy-bad.bin',
        query: [
          ['partNumber', '1'],
          ['uploadId', init.uploadId],
        ],
        ossHeaders: { 'x-oss-copy-source': source },
      });
    expect(errorOf(await copyPart(`/${bucket}/none`))).toMatchObject({ status: 404, code: 'NoSuchKey' });
    expect(errorOf(await copyPart(`${bucket}/none`))).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0042-00000301' });
  });
});

describe('multipartUploadCopy (the SDK helper)', () => {
  it('copies a 450 KB object in 100 KB part copies', async () => {
    const source = randomBytes(450 * KB);
    await client.put('helper-src.bin', source);
    const sourceData = { sourceKey: 'helper-src.bin', sourceBucketName: bucket } as never;
    await client.multipartUploadCopy('helper-dst.bin', sourceData, { partSize: 100 * KB });
    expect(Buffer.compare((await client.get('helper-dst.bin')).content as Buffer, source)).toBe(0);
  });
});

describe('files on disk', () => {
  it('abort and complete leave no orphan file: exactly the files of the objects remain', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-mp-files-'));
    const disk = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const c = ossClient(disk, 'files');
      await c.putBucket('files');
      const files = () => readdirSync(join(dataDir, 'objects')).flatMap((shard) => readdirSync(join(dataDir, 'objects', shard)));
      const settle = () => new Promise((r) => setTimeout(r, 200));
      const aborted = await c.initMultipartUpload('gone');
      for (const n of [1, 2, 3]) await c.uploadPart('gone', aborted.uploadId, n, randomBytes(1000), 0, 1000);
      expect(files()).toHaveLength(3);
      await c.abortMultipartUpload('gone', aborted.uploadId);
      await settle();
      expect(files()).toHaveLength(0);
      // Complete with two of three parts (one uploaded twice): the object keeps two files, nothing else stays.
      const kept = await c.initMultipartUpload('kept');
      const etags = [];
      for (const n of [1, 1, 2, 3]) etags[n] = (await c.uploadPart('kept', kept.uploadId, n, randomBytes(100 * KB), 0, 100 * KB)).etag;
      await c.completeMultipartUpload('kept', kept.uploadId, [
        { number: 1, etag: etags[1]! },
        { number: 3, etag: etags[3]! },
      ]);
      await settle();
      expect(files()).toHaveLength(2);
      // Overwriting the multipart object with a PutObject drops both of its files; deleting drops the last one.
      // (100 KB: a body of 64 KiB or less is kept in the database, no file of its own.)
      await c.put('kept', randomBytes(100 * KB));
      await settle();
      expect(files()).toHaveLength(1);
      await c.delete('kept');
      await settle();
      expect(files()).toHaveLength(0);
    } finally {
      await disk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Multipart upload: x-oss-tagging at initiate, Content-MD5 on UploadPart', () => {
  it('gives the completed object the tags sent with InitiateMultipartUpload (oss2 test_multipart_with_object_tagging)', async () => {
    const tagging = `${encodeURIComponent('+:/')}=${encodeURIComponent('.-')}&${encodeURIComponent(' + ')}=${encodeURIComponent('中文')}`;
    const init = await client.initMultipartUpload('tagged-mp.bin', { headers: { 'x-oss-tagging': tagging } } as never);
    const part = randomBytes(1000);
    const p1 = await client.uploadPart('tagged-mp.bin', init.uploadId, 1, part, 0, part.length);
    await client.completeMultipartUpload('tagged-mp.bin', init.uploadId, [{ number: 1, etag: p1.etag }]);
    expect((await untyped(client).getObjectTagging!('tagged-mp.bin')).tag).toEqual({ '+:/': '.-', ' + ': '中文' });
  });

  it('refuses at initiate the tag sets OSS refuses; an empty value is fine', async () => {
    for (const tagging of [
      '=a&b=a',
      `${'a'.repeat(129)}=b&b=a`,
      `a=${'a'.repeat(257)}&b=a`,
      'a=b&a=b&a=b',
      'a1=b&a2=b&a3=b&a4=b&a5=b&a6=b&a7=b&a8=b&a9=b&a10=b&a11=b',
    ]) {
      const err = await client
        .initMultipartUpload('bad-tags.bin', { headers: { 'x-oss-tagging': tagging } } as never)
        .catch((e: unknown) => e);
      expect(err, tagging).toMatchObject({ status: 400 });
    }
    const ok = await client.initMultipartUpload('bad-tags.bin', { headers: { 'x-oss-tagging': 'a=&b=c' } } as never);
    expect(ok.uploadId).toBeTruthy();
  });

  it('answers a part whose Content-MD5 does not match with 400 InvalidDigest (EC 0017-00000503)', async () => {
    const init = await client.initMultipartUpload('md5-part.bin');
    const content = randomBytes(128 * 1024);
    const wrong = createHash('md5')
      .update(Buffer.concat([content, content]))
      .digest('base64');
    const res = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'md5-part.bin',
      query: [
        ['partNumber', '1'],
        ['uploadId', init.uploadId],
      ],
      body: content,
      contentMd5: wrong,
    });
    expect(errorOf(res)).toMatchObject({
      status: 400,
      code: 'InvalidDigest',
      message: 'The Content-MD5 you specified was invalid.',
      ec: '0017-00000503',
    });
    expect((await client.listParts('md5-part.bin', init.uploadId)).parts).toHaveLength(0);
  });
});
