// Vectors computed at test time by ali-oss's own signing code (node_modules/ali-oss), fed to our verifier.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authenticate, verifyRtmpSignature } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { OssError } from '../../src/oss/wire/errors.js';
import { hmacSha1Base64, v1StringToSign } from '../../src/auth/signature-v1.js';
import { v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/auth/signature-v4.js';
import {
  capturingClient,
  OSS,
  parseQuery,
  sendOne,
  signUtils,
  toAuthInput,
  type AliOssClient,
  type CapturedRequest,
} from '../helpers/ali-oss-capture.js';

const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: 'test-secret' }]);
const WRONG_SECRET = 'test-secreT'; // one byte flipped
const IP_ENDPOINT = 'http://127.0.0.1:8080';
const DOMAIN_ENDPOINT = 'http://oss-cn-hangzhou.aliyuncs.com';

afterEach(() => {
  vi.restoreAllMocks();
});

function thrown(fn: () => unknown): OssError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OssError) return e;
    throw e;
  }
  throw new Error('expected an OssError');
}

const extra = (e: OssError, name: string) => e.extra.find(([k]) => k === name)?.[1];

interface Flow {
  name: string;
  call: (c: AliOssClient) => Promise<unknown>;
  expectKey: string;
  expectQuery: string[];
}

const flows: Flow[] = [
  {
    name: 'PutLiveChannel',
    call: (c) =>
      c.putChannel('test-channel', {
        Description: 'd',
        Status: 'enabled',
        Target: { Type: 'HLS', FragDuration: 10, FragCount: 5, PlaylistName: 'playlist.m3u8' },
      }),
    expectKey: 'test-channel',
    expectQuery: ['live'],
  },
  { name: 'GetLiveChannelInfo', call: (c) => c.getChannel('test-channel'), expectKey: 'test-channel', expectQuery: ['live'] },
  { name: 'GetLiveChannelStat', call: (c) => c.getChannelStatus('test-channel'), expectKey: 'test-channel', expectQuery: ['live', 'comp'] },
  {
    name: 'PutLiveChannelStatus',
    call: (c) => c.putChannelStatus('test-channel', 'disabled'),
    expectKey: 'test-channel',
    expectQuery: ['live', 'status'],
  },
  {
    name: 'GetLiveChannelHistory',
    call: (c) => c.getChannelHistory('test-channel'),
    expectKey: 'test-channel',
    expectQuery: ['live', 'comp'],
  },
  { name: 'DeleteLiveChannel', call: (c) => c.deleteChannel('test-channel'), expectKey: 'test-channel', expectQuery: ['live'] },
  {
    name: 'ListLiveChannel with prefix/marker/max-keys',
    call: (c) => c.listChannels({ prefix: 'test', marker: 'test-a', 'max-keys': 10 }),
    expectKey: '',
    expectQuery: ['prefix', 'marker', 'max-keys', 'live'],
  },
  {
    name: 'PostVodPlaylist',
    call: (c) => c.createVod('chan', 'vod.m3u8', { startTime: 1472020031, endTime: 1472020226 }),
    expectKey: 'chan/vod.m3u8',
    expectQuery: ['startTime', 'endTime', 'vod'],
  },
  {
    name: 'PutObject with spaces, unicode and + in the key',
    call: (c) => c.put('a b/ü+c.txt', Buffer.from('hello')),
    expectKey: 'a b/ü+c.txt',
    expectQuery: [],
  },
  { name: 'GetObject', call: (c) => c.get('dir/obj.txt'), expectKey: 'dir/obj.txt', expectQuery: [] },
  {
    name: 'ListObjectsV2 (continuation-token signed, list-type not)',
    call: (c) => c.listV2({ prefix: 'a', 'continuation-token': 'tok' }),
    expectKey: '',
    expectQuery: ['list-type', 'prefix', 'continuation-token'],
  },
];

const modes = [
  { mode: 'V1 header', options: {} },
  { mode: 'V4 header', options: { authorizationV4: true, region: 'oss-cn-hangzhou' } },
] as const;

for (const { mode, options } of modes) {
  describe(`ali-oss ${mode} requests`, () => {
    for (const flow of flows) {
      it(`accepts ${flow.name}`, async () => {
        const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT, ...options });
        const req = await sendOne(sent, () => flow.call(client));
        const input = toAuthInput(req);
        expect(input.bucket).toBe('examplebucket');
        expect(input.key).toBe(flow.expectKey);
        expect(input.query.map(([k]) => k).sort()).toEqual([...flow.expectQuery].sort());
        expect(authenticate(input, credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });
      });
    }

    it('rejects a one-byte-wrong secret with SignatureDoesNotMatch echoing the StringToSign ali-oss signed', async () => {
      const spy = mode === 'V1 header' ? vi.spyOn(signUtils, 'buildCanonicalString') : vi.spyOn(signUtils, 'getStringToSign');
      const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT, ...options, accessKeySecret: WRONG_SECRET });
      const req = await sendOne(sent, () => client.getChannelStatus('test-channel'));
      const aliOssStringToSign = spy.mock.results[0]?.value as string;
      // V1 ends with the canonical resource; V4 starts with the algorithm (the resource is hashed inside).
      expect(aliOssStringToSign).toMatch(mode === 'V1 header' ? /\/examplebucket\/test-channel\?comp=stat&live$/ : /^OSS4-HMAC-SHA256\n/);

      const e = thrown(() => authenticate(toAuthInput(req), credentials, Date.now()));
      expect(e.status).toBe(403);
      expect(e.code).toBe('SignatureDoesNotMatch');
      expect(extra(e, 'StringToSign')).toBe(aliOssStringToSign);
      expect(extra(e, 'OSSAccessKeyId')).toBe('ak');
    });
  });
}

describe('ali-oss V1 details', () => {
  it('sends x-oss-date and no Date header, so x-oss-date is the date line', async () => {
    const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT });
    const req = await sendOne(sent, () => client.getChannel('test-channel'));
    expect(req.headers['date']).toBeUndefined();
    expect(req.headers['x-oss-date']).toMatch(/ GMT$/);
  });

  it('builds the same StringToSign as signUtils.buildCanonicalString (headers, sub-resources, raw key)', () => {
    const headers = {
      'Content-Type': 'text/plain',
      'Content-MD5': 'SfaKXIST7CwL9ImCHCH8Ow==',
      'x-oss-date': 'Wed, 25 Nov 2026 11:04:41 GMT',
      'x-oss-meta-Author': '  me ',
      'x-oss-security-token': 'tok',
    };
    const theirs = signUtils.buildCanonicalString('PUT', '/examplebucket/a b/ü+c.txt', {
      headers,
      parameters: { acl: '', versionId: 'v1' },
    });
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const ours = v1StringToSign({
      method: 'PUT',
      contentMd5: lower['content-md5'] ?? '',
      contentType: lower['content-type'] ?? '',
      date: lower['x-oss-date'] ?? '',
      ossHeaders: lower,
      bucket: 'examplebucket',
      key: 'a b/ü+c.txt',
      subresources: [
        ['versionId', 'v1'],
        ['acl', ''],
        ['prefix', 'not-signed'],
      ],
    });
    expect(ours).toBe(theirs);
    expect(hmacSha1Base64('test-secret', ours)).toBe(signUtils.computeSignature('test-secret', theirs));
  });
});

describe('ali-oss V4 details', () => {
  it('builds the same canonical request, StringToSign and signature as signUtils (PostVodPlaylist)', () => {
    const headers = {
      'x-oss-date': '20261125T110441Z',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'content-type': 'application/x-mpegURL',
    };
    const theirs = signUtils.getCanonicalRequest(
      'POST',
      { headers, queries: { vod: null, startTime: '1472020031', endTime: '1472020226' } },
      'examplebucket',
      'chan/vod.m3u8',
    );
    const ours = v4CanonicalRequest({
      method: 'POST',
      bucket: 'examplebucket',
      key: 'chan/vod.m3u8',
      query: [
        ['vod', ''],
        ['startTime', '1472020031'],
        ['endTime', '1472020226'],
      ],
      headers,
      additionalHeaders: [],
    });
    expect(ours).toBe(theirs);
    const scope = { date: '20261125', region: 'cn-hangzhou', product: 'oss' };
    const sts = v4StringToSign('20261125T110441Z', scope, ours);
    expect(sts).toBe(signUtils.getStringToSign('cn-hangzhou', '20261125T110441Z', theirs));
    expect(v4Signature('test-secret', scope, sts)).toBe(signUtils.getSignatureV4('test-secret', '20261125', 'cn-hangzhou', sts));
  });

  it("encodes keys with spaces, unicode, + and !'()* like signUtils.getCanonicalRequest", () => {
    const key = "a b/ü+c~d!'()*.txt";
    const headers = { 'x-oss-date': '20261125T110441Z', host: 'examplebucket.oss-cn-hangzhou.aliyuncs.com' };
    const theirs = signUtils.getCanonicalRequest(
      'GET',
      { headers, queries: { 'response-content-type': 'text/plain; charset=utf-8', 'x-oss-process': 'image/resize,w_100' } },
      'examplebucket',
      key,
      ['host'],
    );
    const ours = v4CanonicalRequest({
      method: 'GET',
      bucket: 'examplebucket',
      key,
      query: [
        ['x-oss-process', 'image/resize,w_100'],
        ['response-content-type', 'text/plain; charset=utf-8'],
      ],
      headers,
      additionalHeaders: ['host'],
    });
    expect(ours).toBe(theirs);
    expect(ours.split('\n')[1]).toBe('/examplebucket/a%20b/%C3%BC%2Bc~d%21%27%28%29%2A.txt');
  });

  it('accepts another region (the region in the credential scope keys the signature)', async () => {
    const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT, authorizationV4: true, region: 'oss-ap-southeast-1' });
    const req = await sendOne(sent, () => client.getChannelStatus('test-channel'));
    expect(req.headers['authorization']).toContain('/ap-southeast-1/oss/aliyun_v4_request');
    expect(authenticate(toAuthInput(req), credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  // ali-oss sends both as `k=` but signs '' as `k=` and skips undefined (qs.stringify strictNullHandling);
  // every other SDK signs an empty value as bare `k`. See src/auth/authenticate-v4.ts check().
  it('accepts a listChannels page whose marker is undefined (sent as marker=, not signed)', async () => {
    const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT, authorizationV4: true, region: 'oss-cn-hangzhou' });
    const req = await sendOne(sent, () => client.listChannels({ prefix: 'a', marker: undefined, 'max-keys': 10 }));
    expect(req.url).toContain('marker=&');
    expect(authenticate(toAuthInput(req), credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  it("accepts a listChannels call with prefix '' (signed by ali-oss as prefix=)", async () => {
    const { client, sent } = capturingClient({ endpoint: IP_ENDPOINT, authorizationV4: true, region: 'oss-cn-hangzhou' });
    const req = await sendOne(sent, () => client.listChannels({ prefix: '', marker: 'm' }));
    expect(authenticate(toAuthInput(req), credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });
});

describe('ali-oss presigned URLs', () => {
  const presignClient = () =>
    new OSS({
      accessKeyId: 'ak',
      accessKeySecret: 'test-secret',
      bucket: 'examplebucket',
      endpoint: DOMAIN_ENDPOINT,
      region: 'oss-cn-hangzhou',
    });
  const asRequest = (url: string, method = 'GET', headers: Record<string, string> = {}): CapturedRequest => ({ method, url, headers });

  it('accepts a signatureUrl GET with response-* and x-oss-process sub-resources, rejects it once expired', () => {
    const url = presignClient().signatureUrl('chan/vod m3u8+ü.txt', {
      expires: 600,
      response: { 'content-disposition': 'attachment' },
      process: 'image/resize,w_100',
    });
    const input = toAuthInput(asRequest(url));
    expect(input.key).toBe('chan/vod m3u8+ü.txt');
    expect(authenticate(input, credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });

    const expires = Number(new URL(url).searchParams.get('Expires'));
    const e = thrown(() => authenticate(input, credentials, (expires + 1) * 1000));
    expect([e.status, e.code, e.message]).toEqual([403, 'AccessDenied', 'Request has expired.']);
  });

  it('accepts a signatureUrl PUT whose Content-Type is part of the signature', () => {
    const url = presignClient().signatureUrl('upload.txt', { method: 'PUT', 'Content-Type': 'text/plain', expires: 600 });
    const good = toAuthInput(asRequest(url, 'PUT', { 'content-type': 'text/plain' }));
    expect(authenticate(good, credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });
    const wrongType = toAuthInput(asRequest(url, 'PUT', { 'content-type': 'image/png' }));
    expect(thrown(() => authenticate(wrongType, credentials, Date.now())).code).toBe('SignatureDoesNotMatch');
  });

  it('accepts a signatureUrlV4 GET with a signed host header, rejects it once expired', async () => {
    const host = 'examplebucket.oss-cn-hangzhou.aliyuncs.com';
    const url = await presignClient().signatureUrlV4(
      'GET',
      600,
      { headers: { host }, queries: { 'response-content-type': 'text/plain' } },
      'a b/ü+c.txt',
      ['host'],
    );
    const input = toAuthInput(asRequest(url, 'GET', { host }));
    expect(input.query.map(([k]) => k)).toContain('x-oss-additional-headers');
    expect(authenticate(input, credentials, Date.now())).toEqual({ kind: 'user', accessKeyId: 'ak' });

    const e = thrown(() => authenticate(input, credentials, Date.now() + 601_000));
    expect([e.status, e.code, e.message]).toEqual([403, 'AccessDenied', 'Request has expired.']);
  });

  it('rejects a signatureUrlV4 made with a one-byte-wrong secret', async () => {
    const client = new OSS({
      accessKeyId: 'ak',
      accessKeySecret: WRONG_SECRET,
      bucket: 'examplebucket',
      endpoint: DOMAIN_ENDPOINT,
      region: 'oss-cn-hangzhou',
    });
    const spy = vi.spyOn(signUtils, 'getStringToSign');
    const url = await client.signatureUrlV4('GET', 600, {}, 'obj.txt');
    const e = thrown(() => authenticate(toAuthInput(asRequest(url)), credentials, Date.now()));
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(extra(e, 'StringToSign')).toBe(spy.mock.results[0]?.value);
  });
});

describe('ali-oss getRtmpUrl', () => {
  const rtmpClient = (secret = 'test-secret') =>
    new OSS({ accessKeyId: 'ak', accessKeySecret: secret, bucket: 'examplebucket', endpoint: IP_ENDPOINT });
  const paramsOf = (url: string) => parseQuery(new URL(url).search);

  it('verifies a URL with playlistName', () => {
    const url = rtmpClient().getRtmpUrl('test-channel', { expires: 3600, params: { playlistName: 'playlist.m3u8' } });
    expect(url).toMatch(
      /^rtmp:\/\/127\.0\.0\.1:8080\/live\/test-channel\?OSSAccessKeyId=ak&Expires=\d+&Signature=.+&playlistName=playlist\.m3u8$/,
    );
    expect(
      verifyRtmpSignature({ bucket: 'examplebucket', channel: 'test-channel', params: paramsOf(url) }, credentials, Date.now()),
    ).toEqual({
      accept: true,
      accessKeyId: 'ak',
    });
  });

  it('verifies a URL without params', () => {
    const url = rtmpClient().getRtmpUrl('test-channel', { expires: 60 });
    expect(
      verifyRtmpSignature({ bucket: 'examplebucket', channel: 'test-channel', params: paramsOf(url) }, credentials, Date.now()).accept,
    ).toBe(true);
  });

  it('refuses the URL for another channel and once it has expired', () => {
    const url = rtmpClient().getRtmpUrl('test-channel', { expires: 60 });
    const params = paramsOf(url);
    const other = verifyRtmpSignature({ bucket: 'examplebucket', channel: 'other-channel', params }, credentials, Date.now());
    expect(other).toMatchObject({
      accept: false,
      code: 'NetStream.Publish.Unauthorized',
      description: expect.stringContaining('signature we calculated does not match'),
    });
    const late = verifyRtmpSignature({ bucket: 'examplebucket', channel: 'test-channel', params }, credentials, Date.now() + 120_000);
    expect(late).toEqual({ accept: false, code: 'NetStream.Publish.Unauthorized', description: 'Request has expired.' });
  });

  it('refuses a URL signed with a one-byte-wrong secret and reports the StringToSign ali-oss signed', () => {
    const spy = vi.spyOn(signUtils, 'computeSignature');
    const url = rtmpClient(WRONG_SECRET).getRtmpUrl('test-channel', { params: { playlistName: 'p.m3u8' } });
    const verdict = verifyRtmpSignature(
      { bucket: 'examplebucket', channel: 'test-channel', params: paramsOf(url) },
      credentials,
      Date.now(),
    );
    expect(verdict.accept).toBe(false);
    expect(verdict.accept === false ? verdict.stringToSign : undefined).toBe(spy.mock.calls[0]?.[1]);
  });
});
