import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { errorOf, signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: ReturnType<typeof ossClient>;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('cors');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const putCors = (body: string) =>
  signedRequest(emu, { method: 'PUT', bucket, query: [['cors', '']], body, contentType: 'application/xml' });

describe('PutBucketCors / GetBucketCors / DeleteBucketCors', () => {
  it('has no configuration until one is put: 404 NoSuchCORSConfiguration with its EC', async () => {
    const res = await signedRequest(emu, { method: 'GET', bucket, query: [['cors', '']] });
    expect(errorOf(res)).toEqual({
      status: 404,
      code: 'NoSuchCORSConfiguration',
      message: 'The CORS Configuration does not exist.',
      ec: '0034-00000001',
    });
    const err = (await client.getBucketCORS(bucket).catch((e: unknown) => e)) as { status: number; code: string };
    expect(err).toMatchObject({ status: 404, code: 'NoSuchCORSConfiguration' });
  });

  it('round-trips rules through ali-oss, in order, and deletes them with 204', async () => {
    await client.putBucketCORS(bucket, [
      {
        allowedOrigin: ['http://a.example', 'https://*.b.example'],
        allowedMethod: ['GET', 'HEAD'],
        allowedHeader: '*',
        exposeHeader: ['ETag', 'x-oss-request-id'],
        maxAgeSeconds: '100',
      },
      { allowedOrigin: '*', allowedMethod: 'PUT' },
    ] as never);
    const got = await client.getBucketCORS(bucket);
    expect(got.rules).toEqual([
      {
        allowedOrigin: ['http://a.example', 'https://*.b.example'],
        allowedMethod: ['GET', 'HEAD'],
        allowedHeader: '*',
        exposeHeader: ['ETag', 'x-oss-request-id'],
        maxAgeSeconds: '100',
      },
      { allowedOrigin: '*', allowedMethod: 'PUT' },
    ]);
    const raw = await signedRequest(emu, { method: 'GET', bucket, query: [['cors', '']] });
    expect(raw.text).toContain(
      '<CORSConfiguration><CORSRule><AllowedOrigin>http://a.example</AllowedOrigin><AllowedOrigin>https://*.b.example</AllowedOrigin>' +
        '<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>' +
        '<ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>100</MaxAgeSeconds></CORSRule>',
    );
    expect(raw.text).toMatch(/<\/CORSRule><ResponseVary>false<\/ResponseVary><\/CORSConfiguration>$/);
    const del = await client.deleteBucketCORS(bucket);
    expect((del as unknown as { res: { status: number } }).res.status).toBe(204);
    expect(errorOf(await signedRequest(emu, { method: 'GET', bucket, query: [['cors', '']] })).code).toBe('NoSuchCORSConfiguration');
  });

  it('refuses invalid rules without changing the stored ones', async () => {
    await client.putBucketCORS(bucket, [{ allowedOrigin: '*', allowedMethod: 'GET' }] as never);
    const rule = (inner: string) => `<CORSConfiguration><CORSRule>${inner}</CORSRule></CORSConfiguration>`;
    const cases: Array<[string, number, string]> = [
      ['<CORSConfiguration></CORSConfiguration>', 400, 'MalformedXML'],
      [rule('<AllowedMethod>GET</AllowedMethod>'), 400, 'MalformedXML'],
      [rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod>'), 400, 'InvalidArgument'],
      [rule('<AllowedOrigin>http://*.*.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'), 400, 'InvalidArgument'],
      [rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-*</ExposeHeader>'), 400, 'InvalidArgument'],
      [
        rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>'),
        400,
        'InvalidArgument',
      ],
      ['<CORSConfiguration><CORSRule>', 400, 'MalformedXML'],
    ];
    for (const [body, status, code] of cases) {
      const e = errorOf(await putCors(body));
      expect({ body, status: e.status, code: e.code }).toEqual({ body, status, code });
    }
    const negative = await putCors(
      rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds>'),
    );
    expect(negative.text).toContain('<ArgumentName>MaxAgeSeconds</ArgumentName><ArgumentValue>-1</ArgumentValue>');
    expect((await client.getBucketCORS(bucket)).rules).toEqual([{ allowedOrigin: '*', allowedMethod: 'GET' }]);
  });

  it("is the owner's: anonymous requests are refused, and a missing bucket is NoSuchBucket", async () => {
    const anon = await fetch(`${emu.endpoint}/${bucket}/?cors`);
    expect(anon.status).toBe(403);
    const missing = await signedRequest(emu, { method: 'GET', bucket: uniqueBucket('nope'), query: [['cors', '']] });
    expect(errorOf(missing).code).toBe('NoSuchBucket');
  });
});
