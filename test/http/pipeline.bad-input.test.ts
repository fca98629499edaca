import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { errorOf, signedRequest, type RawRequest } from '../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('bad');
  await ossClient(emu).putBucket(bucket);
  await ossClient(emu, bucket).put('present.txt', Buffer.from('0123456789'));
});
afterAll(() => emu.close());

/** Sends a request line exactly as given (no client-side normalisation), unsigned. */
function rawGet(path: string, method = 'GET'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port: emu.httpPort, path, method, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', reject);
    r.end();
  });
}

/** The state every test starts from, and that no bad request may change: the server still answers, the object is intact. */
async function expectUndisturbed(): Promise<void> {
  const got = await ossClient(emu, bucket).get('present.txt');
  expect((got.content as Buffer).toString()).toBe('0123456789');
}

const BOMB = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Delete><Object><Key>&b;</Key></Object></Delete>`;

describe('bad input gets an OSS error and never disturbs the server', () => {
  const cases: Array<[string, () => RawRequest, number, string]> = [
    ['a key over 1023 bytes', () => ({ method: 'PUT', bucket, key: 'k'.repeat(1024), body: 'x' }), 400, 'InvalidObjectName'],
    ['max-keys that is not a number', () => ({ method: 'GET', bucket, query: [['max-keys', 'abc']] }), 400, 'InvalidArgument'],
    ['max-keys out of range', () => ({ method: 'GET', bucket, query: [['max-keys', '1001']] }), 400, 'InvalidArgument'],
    [
      'a negative max-keys on ListLiveChannel',
      () => ({
        method: 'GET',
        bucket,
        query: [
          ['live', ''],
          ['max-keys', '-1'],
        ],
      }),
      400,
      'InvalidArgument',
    ],
    ['an unknown encoding-type', () => ({ method: 'GET', bucket, query: [['encoding-type', 'base64']] }), 400, 'InvalidArgument'],
    [
      'a Content-MD5 that is not base64 of 16 bytes',
      () => ({ method: 'PUT', bucket, key: 'm', body: 'x', contentMd5: 'nope' }),
      400,
      'InvalidDigest',
    ],
    [
      'malformed XML in DeleteMultipleObjects',
      () => ({ method: 'POST', bucket, query: [['delete', '']], body: '<Delete><Object>' }),
      400,
      'MalformedXML',
    ],
    ['an entity-expansion DTD', () => ({ method: 'POST', bucket, query: [['delete', '']], body: BOMB }), 400, 'MalformedXML'],
    [
      'a channel name with ../',
      () => ({
        method: 'PUT',
        bucket,
        key: '../x',
        rawKey: '..%2Fx',
        query: [['live', '']],
        body: '<LiveChannelConfiguration><Target><Type>HLS</Type></Target></LiveChannelConfiguration>',
      }),
      400,
      'InvalidChannelName',
    ],
    [
      'an absurd VOD span',
      () => ({
        method: 'GET',
        bucket,
        key: 'nochannel',
        query: [
          ['vod', ''],
          ['startTime', '1e30'],
          ['endTime', '-5'],
        ],
      }),
      404,
      'NoSuchLiveChannel',
    ],
    [
      'a range far past the end',
      () => ({ method: 'GET', bucket, key: 'present.txt', headers: { range: 'bytes=99999999999999999999-' } }),
      416,
      'InvalidRange',
    ],
    ['an unimplemented sub-resource', () => ({ method: 'GET', bucket, query: [['accessmonitor', '']] }), 501, 'NotImplemented'],
  ];

  for (const [what, build, status, code] of cases) {
    it(`answers ${what} with ${status} ${code}`, async () => {
      const res = await signedRequest(emu, build());
      expect(errorOf(res)).toMatchObject({ status, code });
      expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
      await expectUndisturbed();
    });
  }

  it('answers malformed percent-encoding and invalid UTF-8 in the path with 400', async () => {
    for (const path of [`/${bucket}/%ZZ`, `/${bucket}/%C0%AF`, `/${bucket}/%FF%FE`]) {
      const res = await rawGet(path);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<Code>InvalidArgument</Code>');
    }
    await expectUndisturbed();
  });

  it('answers an unknown method with 405 MethodNotAllowed', async () => {
    const res = await rawGet(`/${bucket}/present.txt`, 'PATCH');
    expect(res.status).toBe(405);
    expect(res.text).toContain('<Code>MethodNotAllowed</Code>');
    await expectUndisturbed();
  });

  // Self-contained (it does not rely on the tests above having run): every bad request in one go, then the server
  // still serves and the object is intact.
  it('still serves after all of it', async () => {
    for (const [, build, status] of cases) expect((await signedRequest(emu, build())).status).toBe(status);
    for (const path of [`/${bucket}/%ZZ`, `/${bucket}/%C0%AF`, `/${bucket}/%FF%FE`]) expect((await rawGet(path)).status).toBe(400);
    expect((await rawGet(`/${bucket}/present.txt`, 'PATCH')).status).toBe(405);
    await expectUndisturbed();
  });
});
