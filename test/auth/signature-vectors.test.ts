// Spec §11 test vectors (secret `test-secret`, AccessKeyId `ak`, bucket `examplebucket`, channel `test-channel`).
import { describe, expect, it } from 'vitest';
import { authenticate, verifyRtmpSignature } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { rtmpStringToSign, signRtmpUrl } from '../../src/auth/rtmp-signature.js';
import { canonicalizedResource, hmacSha1Base64, v1StringToSign } from '../../src/auth/signature-v1.js';
import { v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/auth/signature-v4.js';
import { parseQuery } from '../helpers/ali-oss-capture.js';

const SECRET = 'test-secret';
const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: SECRET }]);
const BUCKET = 'examplebucket';

interface V1Vector {
  name: string;
  method: string;
  contentType: string;
  date: string;
  key: string;
  query: Array<[string, string]>;
  stringToSign: string;
  signature: string;
}

const v1Vectors: V1Vector[] = [
  {
    name: 'GetLiveChannelStat',
    method: 'GET',
    contentType: '',
    date: 'Thu, 25 Aug 2016 06:22:01 GMT',
    key: 'test-channel',
    query: [
      ['live', ''],
      ['comp', 'stat'],
    ],
    stringToSign: 'GET\n\n\nThu, 25 Aug 2016 06:22:01 GMT\n/examplebucket/test-channel?comp=stat&live',
    signature: 'fDopgx6joupiQ9wefBTUPWZSipM=',
  },
  {
    name: 'PutLiveChannel',
    method: 'PUT',
    contentType: 'application/xml',
    date: 'Wed, 24 Aug 2016 11:11:28 GMT',
    key: 'test-channel',
    query: [['live', '']],
    stringToSign: 'PUT\n\napplication/xml\nWed, 24 Aug 2016 11:11:28 GMT\n/examplebucket/test-channel?live',
    signature: 'mceXayvtRkfQYvuJrQiY+Ecvl+U=',
  },
  {
    name: 'PostVodPlaylist',
    method: 'POST',
    contentType: '',
    date: 'Thu, 25 Aug 2016 07:13:26 GMT',
    key: 'test-channel/vod.m3u8',
    // oss2's order on the wire (spec §2.3): vod first, then the times.
    query: [
      ['vod', ''],
      ['endTime', '1472020226'],
      ['startTime', '1472020031'],
    ],
    stringToSign:
      'POST\n\n\nThu, 25 Aug 2016 07:13:26 GMT\n/examplebucket/test-channel/vod.m3u8?endTime=1472020226&startTime=1472020031&vod',
    signature: 'EhuNNybiyycSTDPJ5mBW29SjREM=',
  },
  {
    name: 'ListLiveChannel (prefix/marker/max-keys unsigned)',
    method: 'GET',
    contentType: '',
    date: 'Thu, 25 Aug 2016 07:50:09 GMT',
    key: '',
    query: [
      ['live', ''],
      ['prefix', ''],
      ['marker', ''],
      ['max-keys', '100'],
    ],
    stringToSign: 'GET\n\n\nThu, 25 Aug 2016 07:50:09 GMT\n/examplebucket/?live',
    signature: 'dhw8RRVaXmppfhNZRodgknFfao8=',
  },
];

describe('spec §11 V1 vectors', () => {
  for (const v of v1Vectors) {
    it(`builds the StringToSign and signature of ${v.name}`, () => {
      const sts = v1StringToSign({
        method: v.method,
        contentMd5: '',
        contentType: v.contentType,
        date: v.date,
        ossHeaders: {},
        bucket: BUCKET,
        key: v.key,
        subresources: v.query,
      });
      expect(sts).toBe(v.stringToSign);
      expect(hmacSha1Base64(SECRET, sts)).toBe(v.signature);
    });

    it(`accepts the signed ${v.name} request`, () => {
      const headers: Record<string, string> = { date: v.date, authorization: `OSS ak:${v.signature}` };
      if (v.contentType !== '') headers['content-type'] = v.contentType;
      const principal = authenticate(
        { method: v.method, bucket: BUCKET, key: v.key, query: v.query, headers },
        credentials,
        Date.parse(v.date),
      );
      expect(principal).toEqual({ kind: 'user', accessKeyId: 'ak' });
    });
  }

  it('uses / for service-level and /<bucket>/ for bucket-level resources', () => {
    expect(canonicalizedResource(undefined, undefined, [])).toBe('/');
    expect(canonicalizedResource(BUCKET, undefined, [])).toBe('/examplebucket/');
    expect(canonicalizedResource(BUCKET, '', [['acl', '']])).toBe('/examplebucket/?acl');
  });

  it('keeps the decoded key raw in the resource (spaces, unicode, +)', () => {
    expect(canonicalizedResource(BUCKET, 'a b/ü+c.txt', [])).toBe('/examplebucket/a b/ü+c.txt');
  });
});

describe('spec §11 V4 vector (GetLiveChannelStat, 2025-04-17T12:00:00Z, cn-hangzhou)', () => {
  const headers = { 'x-oss-date': '20250417T120000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  const query: Array<[string, string]> = [
    ['live', ''],
    ['comp', 'stat'],
  ];
  const scope = { date: '20250417', region: 'cn-hangzhou', product: 'oss' };
  const signature = '8a0cfa529036d65240f19474e21a60ad0a522618db9e5bbc237aff0f6d9011b7';

  it('builds the canonical request, StringToSign and signature', () => {
    const cr = v4CanonicalRequest({ method: 'GET', bucket: BUCKET, key: 'test-channel', query, headers, additionalHeaders: [] });
    expect(cr).toBe(
      'GET\n/examplebucket/test-channel\ncomp=stat&live\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250417T120000Z\n\n\nUNSIGNED-PAYLOAD',
    );
    const sts = v4StringToSign('20250417T120000Z', scope, cr);
    expect(sts).toBe(
      'OSS4-HMAC-SHA256\n20250417T120000Z\n20250417/cn-hangzhou/oss/aliyun_v4_request\na9d311afa245f78eb2f2584cc8f11db4e35bbe1ae9a87dc6aeda694679c116d7',
    );
    expect(v4Signature(SECRET, scope, sts)).toBe(signature);
  });

  it("accepts oss2's header form (', ' separators)", () => {
    const authorization = `OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request, Signature=${signature}`;
    const principal = authenticate(
      { method: 'GET', bucket: BUCKET, key: 'test-channel', query, headers: { ...headers, authorization } },
      credentials,
      Date.UTC(2025, 3, 17, 12, 5, 0),
    );
    expect(principal).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });
});

describe('spec §11 RTMP vectors (Expires 1700000000)', () => {
  const nowMs = 1_699_999_000_000;

  it('signs with playlistName', () => {
    const sts = rtmpStringToSign({
      expires: 1700000000,
      params: [['playlistName', 'playlist.m3u8']],
      bucket: BUCKET,
      channel: 'test-channel',
    });
    expect(sts).toBe('1700000000\nplaylistName:playlist.m3u8\n/examplebucket/test-channel');
    expect(hmacSha1Base64(SECRET, sts)).toBe('wI7BgZAIuogWLRutLsFvQ88Ce94=');
  });

  it('signs without params', () => {
    const sts = rtmpStringToSign({ expires: 1700000000, params: [], bucket: BUCKET, channel: 'test-channel' });
    expect(sts).toBe('1700000000\n/examplebucket/test-channel');
    expect(hmacSha1Base64(SECRET, sts)).toBe('zCL3IK6H6FXLCFHIBR1Oq/t7K8s=');
  });

  it("verifies oss2's signed URL, whose query order differs from ours", () => {
    const url =
      'rtmp://examplebucket.oss-cn-hangzhou.aliyuncs.com/live/test-channel?playlistName=playlist.m3u8&OSSAccessKeyId=ak&Expires=1700000000&Signature=wI7BgZAIuogWLRutLsFvQ88Ce94%3D';
    const params = parseQuery(new URL(url).search);
    expect(verifyRtmpSignature({ bucket: BUCKET, channel: 'test-channel', params }, credentials, nowMs)).toEqual({
      accept: true,
      accessKeyId: 'ak',
    });
  });

  it('signRtmpUrl produces the §11 signature, url-encoded, ali-oss order', () => {
    const url = signRtmpUrl({
      accessKeyId: 'ak',
      accessKeySecret: SECRET,
      bucket: BUCKET,
      channel: 'test-channel',
      expires: 1700000000,
      params: [['playlistName', 'playlist.m3u8']],
      base: 'rtmp://127.0.0.1:1935/live/test-channel',
    });
    expect(url).toBe(
      'rtmp://127.0.0.1:1935/live/test-channel?OSSAccessKeyId=ak&Expires=1700000000&Signature=wI7BgZAIuogWLRutLsFvQ88Ce94%3D&playlistName=playlist.m3u8',
    );
    const params = parseQuery(new URL(url).search);
    expect(verifyRtmpSignature({ bucket: BUCKET, channel: 'test-channel', params }, credentials, nowMs).accept).toBe(true);
  });

  it('signRtmpUrl without params signs the no-params vector', () => {
    const url = signRtmpUrl({ accessKeyId: 'ak', accessKeySecret: SECRET, bucket: BUCKET, channel: 'test-channel', expires: 1700000000 });
    expect(url).toBe('?OSSAccessKeyId=ak&Expires=1700000000&Signature=zCL3IK6H6FXLCFHIBR1Oq%2Ft7K8s%3D');
  });
});
