// Request shapes of SDKs we cannot run here (oss2, Go v1, go-v2, Java), rebuilt from their signing source,
// plus a scan proving every sub-resource ali-oss signs is one we sign.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authenticate, verifyRtmpSignature, type AuthInput } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { rtmpStringToSign } from '../../src/auth/rtmp-signature.js';
import { canonicalizedResource, hmacSha1Base64, v1StringToSign } from '../../src/auth/signature-v1.js';
import { v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/auth/signature-v4.js';
import { isV1Subresource } from '../../src/auth/subresources.js';
import { OssError } from '../../src/oss/wire/errors.js';

const credentials = new Credentials([
  { accessKeyId: 'ak', accessKeySecret: 'test-secret' },
  { accessKeyId: 'STS.ak', accessKeySecret: 'sts-secret' },
]);
const NOW = Date.UTC(2025, 3, 17, 12, 0, 0);
const HTTP_DATE = new Date(NOW).toUTCString(); // Thu, 17 Apr 2025 12:00:00 GMT
const STAT = {
  method: 'GET',
  bucket: 'examplebucket',
  key: 'test-channel',
  query: [
    ['comp', 'stat'],
    ['live', ''],
  ],
} as const;
const user = { kind: 'user', accessKeyId: 'ak' };

describe('V1 date line', () => {
  const sign = (date: string) =>
    hmacSha1Base64(
      'test-secret',
      v1StringToSign({
        method: 'GET',
        contentMd5: '',
        contentType: '',
        date,
        ossHeaders: { 'x-oss-date': HTTP_DATE },
        bucket: STAT.bucket,
        key: STAT.key,
        subresources: STAT.query,
      }),
    );
  const request = (signature: string, date: string): AuthInput => ({
    ...STAT,
    headers: { date, 'x-oss-date': HTTP_DATE, authorization: `OSS ak:${signature}` },
  });
  const otherDate = new Date(NOW + 1000).toUTCString();

  it('uses x-oss-date when present (oss2 __get_string_to_sign, ali-oss buildCanonicalString)', () => {
    expect(authenticate(request(sign(HTTP_DATE), otherDate), credentials, NOW)).toEqual(user);
  });

  it('also accepts the Date header on the date line (Go v1 getSignedStr, go-v2 v1.go, Java SignUtils)', () => {
    expect(authenticate(request(sign(otherDate), otherDate), credentials, NOW)).toEqual(user);
  });

  it('reports the x-oss-date reading when neither matches', () => {
    try {
      authenticate(request(sign('Mon, 01 Jan 2001 00:00:00 GMT'), otherDate), credentials, NOW);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(OssError);
      const sts = (e as OssError).extra.find(([k]) => k === 'StringToSign')?.[1];
      expect(sts?.split('\n')[3]).toBe(HTTP_DATE);
    }
  });
});

describe('V1 sub-resources', () => {
  it('signs continuation-token but not list-type/prefix (ListObjectsV2; all five SDKs agree)', () => {
    const query: Array<[string, string]> = [
      ['list-type', '2'],
      ['prefix', 'a'],
      ['continuation-token', 'tok'],
      ['max-keys', '10'],
    ];
    expect(canonicalizedResource('examplebucket', '', query)).toBe('/examplebucket/?continuation-token=tok');
  });

  it('signs every x-oss-* parameter (go-v2 rule), e.g. x-oss-traffic-limit and x-oss-process', () => {
    const query: Array<[string, string]> = [
      ['x-oss-traffic-limit', '819200'],
      ['x-oss-process', 'image/resize,w_10'],
      ['foo', 'bar'],
    ];
    expect(canonicalizedResource('b', 'k', query)).toBe('/b/k?x-oss-process=image/resize,w_10&x-oss-traffic-limit=819200');
  });

  it.each([
    'live',
    'comp',
    'status',
    'vod',
    'startTime',
    'endTime',
    'security-token',
    'uploadId',
    'partNumber',
    'versionId',
    'response-content-type',
  ])('signs %s', (name) => expect(isV1Subresource(name)).toBe(true));

  it.each([
    'list-type',
    'prefix',
    'marker',
    'max-keys',
    'delimiter',
    'encoding-type',
    'playlistName',
    'OSSAccessKeyId',
    'Expires',
    'Signature',
  ])('does not sign %s', (name) => expect(isV1Subresource(name)).toBe(false));

  it('signs security-token in a presigned STS URL (oss2 _sign_url, ali-oss _signatureForURL, Java presign)', () => {
    const expires = NOW / 1000 + 60;
    const query: Array<[string, string]> = [['security-token', 'token+/=']];
    const stringToSign = (q: Array<[string, string]>) =>
      v1StringToSign({
        method: 'GET',
        contentMd5: '',
        contentType: '',
        date: String(expires),
        ossHeaders: {},
        bucket: 'b',
        key: 'k',
        subresources: q,
      });
    const url = (signature: string): AuthInput => ({
      method: 'GET',
      bucket: 'b',
      key: 'k',
      query: [...query, ['OSSAccessKeyId', 'STS.ak'], ['Expires', String(expires)], ['Signature', signature]],
      headers: {},
    });
    expect(authenticate(url(hmacSha1Base64('sts-secret', stringToSign(query))), credentials, NOW)).toEqual({
      kind: 'user',
      accessKeyId: 'STS.ak',
    });
    expect(() => authenticate(url(hmacSha1Base64('sts-secret', stringToSign([]))), credentials, NOW)).toThrow(OssError);
  });

  it("covers every sub-resource name ali-oss's own operations sign", () => {
    const require = createRequire(import.meta.url);
    const lib = join(dirname(require.resolve('ali-oss/package.json')), 'lib');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (name === 'browser') continue; // the prebuilt browser bundle repeats lib/
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.js')) files.push(path);
      }
    };
    walk(lib);
    const names = new Set<string>();
    const patterns = [
      /_bucketRequestParams\('[A-Z]+', *\w+, *'([^']+)'/g, // _bucketRequestParams('GET', name, 'acl', …)
      /subres *= *'([^']+)'/g, // options.subres = 'live'
      /subres: *'([^']+)'/g, // { subres: 'x-oss-process' }
      /subres\[['"]([^'"]+)['"]\]/g, // options.subres['x-oss-process']
      /subResource\[['"]([^'"]+)['"]\]/g, // _signatureForURL: subResource['security-token']
      /subres *= *(?:Object\.assign\()?\{([^}]*)\}/g, // subres = { live: null, comp: 'stat' } / Object.assign({ acl: '' }, …)
    ];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const m of source.matchAll(pattern)) {
          for (const part of (m[1] ?? '').split(',')) {
            const name = part
              .split(':')[0]
              ?.trim()
              .replace(/^['"]|['"]$/g, '');
            if (name && /^[\w-]+$/.test(name)) names.add(name);
          }
        }
      }
    }
    // Names from subres objects spread over several lines or built at run time (rtmp.js, object.js append,
    // multipart*.js, listV2, worm, _signatureForURL response-*) that the patterns above cannot see.
    for (const n of [
      'status',
      'comp',
      'vod',
      'startTime',
      'endTime',
      'append',
      'position',
      'partNumber',
      'continuation-token',
      'wormId',
      'wormExtend',
      'x-oss-traffic-limit',
      'callback',
      'response-content-disposition',
    ])
      names.add(n);
    expect(names.size).toBeGreaterThan(40);
    expect([...names].filter((n) => !isV1Subresource(n))).toEqual([]);
  });
});

describe('V4 header shapes', () => {
  const scope = { date: '20250417', region: 'cn-hangzhou', product: 'oss' };

  it('accepts oss2 AuthV4: ", " separators and AdditionalHeaders after Signature', () => {
    const headers = { 'x-oss-date': '20250417T120000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', range: 'bytes=0-9' };
    const cr = v4CanonicalRequest({ ...STAT, headers, additionalHeaders: ['range'] });
    const signature = v4Signature('test-secret', scope, v4StringToSign('20250417T120000Z', scope, cr));
    const authorization = `OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request, Signature=${signature}, AdditionalHeaders=range`;
    expect(authenticate({ ...STAT, headers: { ...headers, authorization } }, credentials, NOW)).toEqual(user);
    // The range header is signed: changing it breaks the signature.
    const tampered = { ...headers, range: 'bytes=0-99', authorization };
    expect(() => authenticate({ ...STAT, headers: tampered }, credentials, NOW)).toThrow(/signature we calculated/);
  });

  it('accepts Go v1 AuthV4: no x-oss-date, the Date header verbatim on the timestamp line (oss/auth.go getSignedStrV4)', () => {
    const headers = { date: HTTP_DATE, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', host: 'examplebucket.localhost:8080' };
    const cr = v4CanonicalRequest({ ...STAT, headers, additionalHeaders: ['host'] });
    expect(cr).not.toContain('x-oss-date');
    const sts = v4StringToSign(HTTP_DATE, scope, cr);
    expect(sts.split('\n')[1]).toBe('Thu, 17 Apr 2025 12:00:00 GMT');
    const authorization = `OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=${v4Signature('test-secret', scope, sts)}`;
    expect(authenticate({ ...STAT, headers: { ...headers, authorization } }, credentials, NOW)).toEqual(user);
  });

  it('accepts the CloudBox product (oss-cloudbox) from the credential scope', () => {
    const cloudbox = { date: '20250417', region: 'cb-123', product: 'oss-cloudbox' };
    const headers = { 'x-oss-date': '20250417T120000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
    const cr = v4CanonicalRequest({ ...STAT, headers, additionalHeaders: [] });
    const signature = v4Signature('test-secret', cloudbox, v4StringToSign('20250417T120000Z', cloudbox, cr));
    const authorization = `OSS4-HMAC-SHA256 Credential=ak/20250417/cb-123/oss-cloudbox/aliyun_v4_request,Signature=${signature}`;
    expect(authenticate({ ...STAT, headers: { ...headers, authorization } }, credentials, NOW)).toEqual(user);
  });
});

describe('RTMP security-token (spec §6.2)', () => {
  const expires = NOW / 1000 + 60;
  const withToken: Array<[string, string]> = [
    ['playlistName', 'p.m3u8'],
    ['security-token', 'tok'],
  ];
  const url = (signedParams: Array<[string, string]>): Array<[string, string]> => [
    ...withToken,
    ['OSSAccessKeyId', 'STS.ak'],
    ['Expires', String(expires)],
    ['Signature', hmacSha1Base64('sts-secret', rtmpStringToSign({ expires, params: signedParams, bucket: 'b', channel: 'c' }))],
  ];

  it('accepts the token signed (oss2 _sign_rtmp_url, Java generateRtmpUri)', () => {
    expect(verifyRtmpSignature({ bucket: 'b', channel: 'c', params: url(withToken) }, credentials, NOW)).toEqual({
      accept: true,
      accessKeyId: 'STS.ak',
    });
  });

  it('accepts the token excluded (Go v1 getRtmpSignedStr)', () => {
    expect(verifyRtmpSignature({ bucket: 'b', channel: 'c', params: url([['playlistName', 'p.m3u8']]) }, credentials, NOW)).toEqual({
      accept: true,
      accessKeyId: 'STS.ak',
    });
  });

  it('still refuses a tampered playlistName', () => {
    const params = url(withToken).map(([k, v]) => [k, k === 'playlistName' ? 'evil.m3u8' : v] as const);
    expect(verifyRtmpSignature({ bucket: 'b', channel: 'c', params }, credentials, NOW).accept).toBe(false);
  });

  it('reports missing parameters, a bad Expires and an unknown key with OSS messages', () => {
    const base = url(withToken);
    const without = (name: string) => base.filter(([k]) => k !== name);
    const verdict = (params: ReadonlyArray<readonly [string, string]>) =>
      verifyRtmpSignature({ bucket: 'b', channel: 'c', params }, credentials, NOW);
    expect(verdict(without('Signature'))).toEqual({
      accept: false,
      code: 'NetStream.Publish.Unauthorized',
      description: 'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    });
    expect(verdict(base.map(([k, v]) => [k, k === 'Expires' ? 'soon' : v] as const))).toEqual({
      accept: false,
      code: 'NetStream.Publish.Unauthorized',
      description: 'Invalid date (should be seconds since epoch).',
    });
    expect(verdict(base.map(([k, v]) => [k, k === 'OSSAccessKeyId' ? 'nobody' : v] as const))).toEqual({
      accept: false,
      code: 'NetStream.Publish.Unauthorized',
      description: 'The OSS Access Key Id you provided does not exist in our records.',
    });
  });
});
