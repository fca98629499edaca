// Signature V2 (OSS2), header and presigned (issue 11 item 15). The vectors were computed by oss2's own ProviderAuthV2
// (aliyun-oss-python-sdk oss2/auth.py, run unchanged with secret 'test-secret'); the HTTP tests sign with the same algorithm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { authenticate, type AuthInput } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { v2Signature, v2StringToSign } from '../../src/auth/signature-v2.js';
import type { Emulator } from '../../src/emulator.js';
import { OssError } from '../../src/oss/wire/errors.js';
import { encodeKey } from '../../src/oss/live-channel/channel-urls.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';

const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: 'test-secret' }]);
const DATE = 'Tue, 25 Nov 2026 08:00:00 GMT';
const NOW = Date.parse(DATE);

const headerVectors: Array<{ name: string; input: AuthInput }> = [
  {
    name: 'GET object, no parameters',
    input: {
      method: 'GET',
      bucket: 'examplebucket',
      key: 'live/ch/playlist.m3u8',
      query: [],
      headers: { date: DATE, authorization: 'OSS2 AccessKeyId:ak,Signature:9vdeAgw3ay0Uen9X6BONLb+leOdPMPSwwvg2M0QEcSg=' },
    },
  },
  {
    name: 'PUT with Content-Type/MD5, UTF-8 meta, an additional header, and every parameter signed (empty ones bare)',
    input: {
      method: 'PUT',
      bucket: 'examplebucket',
      key: 'a b/ü+c.txt',
      query: [
        ['acl', ''],
        ['prefix', 'a/b'],
        ['empty', ''],
      ],
      headers: {
        date: DATE,
        'content-type': 'text/plain',
        'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==',
        // As Node hands it over: the UTF-8 bytes read as latin1.
        'x-oss-meta-note': Buffer.from('中文', 'utf8').toString('latin1'),
        range: 'bytes=0-1',
        authorization: 'OSS2 AccessKeyId:ak,AdditionalHeaders:range,Signature:xkX/oHVioVbZoAceLjJxVEct0CBH/KgMZeHij6OdOj8=',
      },
    },
  },
  {
    name: 'ListBuckets with prefix and max-keys',
    input: {
      method: 'GET',
      bucket: undefined,
      key: '',
      query: [
        ['prefix', 'x'],
        ['max-keys', '10'],
      ],
      headers: { date: DATE, authorization: 'OSS2 AccessKeyId:ak,Signature:JOa8Av3kZCgh+TWTQ0INIwFVWy25I3JKoNSINzmKHQw=' },
    },
  },
  {
    name: 'PutLiveChannel',
    input: {
      method: 'PUT',
      bucket: 'examplebucket',
      key: 'test-channel',
      query: [['live', '']],
      headers: {
        date: DATE,
        'content-type': 'application/xml',
        authorization: 'OSS2 AccessKeyId:ak,Signature:ukt6vCxaQm3WFzHovnYvu47jM6JB3t1REezSG/BunXQ=',
      },
    },
  },
];

describe('Signature V2 known vectors (oss2 AuthV2)', () => {
  for (const { name, input } of headerVectors) {
    it(`accepts ${name}`, () => {
      expect(authenticate(input, credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    });
  }

  it('accepts an oss2 presigned URL (x-oss-signature-version=OSS2) until x-oss-expires', () => {
    const url = new URL(
      'http://127.0.0.1:8080/x?response-content-type=text%2Fplain&x-oss-signature-version=OSS2&x-oss-expires=1795003600&x-oss-access-key-id=ak&x-oss-signature=Q5s6d%2BrncpEpfIHCXDuP36exAidsjSP5FaJ%2Fi1tSOB0%3D',
    );
    const input: AuthInput = {
      method: 'GET',
      bucket: 'examplebucket',
      key: 'dir/file.txt',
      query: [...url.searchParams.entries()],
      headers: {},
    };
    expect(authenticate(input, credentials, 1795000000_000)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    const late = (() => {
      try {
        authenticate(input, credentials, 1795003601_000);
      } catch (e) {
        return e as OssError;
      }
      return undefined;
    })();
    expect(late).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired.' });
  });

  it('refuses a changed parameter (V2 signs every parameter, not only sub-resources)', () => {
    const input = {
      ...headerVectors[2]!.input,
      query: [
        ['prefix', 'y'],
        ['max-keys', '10'],
      ] as Array<[string, string]>,
    };
    expect(() => authenticate(input, credentials, NOW)).toThrow(/signature we calculated/);
  });
});

describe('Signature V2 over HTTP', () => {
  let emu: Emulator;
  let bucket: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = uniqueBucket('v2');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('dir/hello.txt', Buffer.from('hello v2'));
  });
  afterAll(() => emu.close());

  const send = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const endpoint = new URL(emu.endpoint);
      httpRequest({ host: endpoint.hostname, port: endpoint.port, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      })
        .on('error', reject)
        .end();
    });

  it('GET with an OSS2 Authorization header', async () => {
    const date = new Date().toUTCString();
    const sts = v2StringToSign({ method: 'GET', date, headers: { date }, additionalHeaders: [], bucket, key: 'dir/hello.txt', query: [] });
    const authorization = `OSS2 AccessKeyId:${emu.accessKeyId},Signature:${v2Signature(emu.accessKeySecret, sts)}`;
    const res = await send(`/${bucket}/${encodeKey('dir/hello.txt')}`, { date, authorization });
    expect(res).toEqual({ status: 200, text: 'hello v2' });
  });

  it('GET with an OSS2 presigned URL, and 403 once the signature is altered', async () => {
    const expires = String(Math.floor(Date.now() / 1000) + 300);
    const query: Array<[string, string]> = [
      ['x-oss-signature-version', 'OSS2'],
      ['x-oss-expires', expires],
      ['x-oss-access-key-id', emu.accessKeyId],
    ];
    const sts = v2StringToSign({ method: 'GET', date: expires, headers: {}, additionalHeaders: [], bucket, key: 'dir/hello.txt', query });
    const signature = v2Signature(emu.accessKeySecret, sts);
    const qs = [...query, ['x-oss-signature', signature]].map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&');
    expect(await send(`/${bucket}/dir/hello.txt?${qs}`, {})).toEqual({ status: 200, text: 'hello v2' });
    const bad = qs.replace(/x-oss-signature=[^&]+/, 'x-oss-signature=AAAA');
    expect((await send(`/${bucket}/dir/hello.txt?${bad}`, {})).status).toBe(403);
  });
});
