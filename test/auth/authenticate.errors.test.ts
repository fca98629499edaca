// Every authentication failure with its exact status, Code and Message (spec §3, brief).
import { describe, expect, it } from 'vitest';
import { authenticate, type AuthInput } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { hmacSha1Base64, v1StringToSign } from '../../src/auth/signature-v1.js';
import {
  formatV4Timestamp,
  presignV4,
  v4AuthorizationHeader,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
} from '../../src/auth/signature-v4.js';
import { OssError } from '../../src/oss/wire/errors.js';

const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: 'test-secret' }]);
const NOW = Date.UTC(2025, 3, 17, 12, 0, 0);
const MIN = 60_000;
const BASE = {
  method: 'GET',
  bucket: 'examplebucket',
  key: 'test-channel',
  query: [
    ['live', ''],
    ['comp', 'stat'],
  ],
} as const;

function error(input: AuthInput, nowMs = NOW): OssError {
  try {
    authenticate(input, credentials, nowMs);
  } catch (e) {
    if (e instanceof OssError) return e;
    throw e;
  }
  throw new Error('expected authenticate to throw');
}

const summary = (e: OssError) => [e.status, e.code, e.message];
const extra = (e: OssError, name: string) => e.extra.find(([k]) => k === name)?.[1];

/** A V1 header-signed GetLiveChannelStat sent at `sentMs`. */
function v1Request(sentMs: number, secret = 'test-secret', accessKeyId = 'ak'): AuthInput {
  const date = new Date(sentMs).toUTCString();
  const sts = v1StringToSign({
    method: 'GET',
    contentMd5: '',
    contentType: '',
    date,
    ossHeaders: {},
    bucket: BASE.bucket,
    key: BASE.key,
    subresources: BASE.query,
  });
  return { ...BASE, headers: { date, authorization: `OSS ${accessKeyId}:${hmacSha1Base64(secret, sts)}` } };
}

/** A V4 header-signed GetLiveChannelStat sent at `sentMs`. */
function v4Request(sentMs: number, opts: { secret?: string; accessKeyId?: string; region?: string } = {}): AuthInput {
  const timestamp = formatV4Timestamp(sentMs);
  const scope = { date: timestamp.slice(0, 8), region: opts.region ?? 'cn-hangzhou', product: 'oss' };
  const headers = { 'x-oss-date': timestamp, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  const cr = v4CanonicalRequest({ ...BASE, headers, additionalHeaders: [] });
  const signature = v4Signature(opts.secret ?? 'test-secret', scope, v4StringToSign(timestamp, scope, cr));
  const authorization = v4AuthorizationHeader({ accessKeyId: opts.accessKeyId ?? 'ak', scope, additionalHeaders: [], signature });
  return { ...BASE, headers: { ...headers, authorization } };
}

/** A V1 presigned GetLiveChannelStat expiring at `expires` (Unix seconds). */
function v1Presigned(expires: number, secret = 'test-secret'): AuthInput {
  const sts = v1StringToSign({
    method: 'GET',
    contentMd5: '',
    contentType: '',
    date: String(expires),
    ossHeaders: {},
    bucket: BASE.bucket,
    key: BASE.key,
    subresources: BASE.query,
  });
  const query: Array<readonly [string, string]> = [
    ...BASE.query,
    ['OSSAccessKeyId', 'ak'],
    ['Expires', String(expires)],
    ['Signature', hmacSha1Base64(secret, sts)],
  ];
  return { ...BASE, query, headers: {} };
}

const withoutParam = (input: AuthInput, name: string): AuthInput => ({ ...input, query: input.query.filter(([k]) => k !== name) });
const withParam = (input: AuthInput, name: string, value: string): AuthInput => ({
  ...input,
  query: input.query.map(([k, v]) => [k, k === name ? value : v] as const),
});

describe('no credentials', () => {
  it('is anonymous: the ACL decision belongs to the caller', () => {
    expect(authenticate({ ...BASE, headers: {} }, credentials, NOW)).toEqual({ kind: 'anonymous' });
  });

  it('treats an empty Authorization header as absent', () => {
    expect(authenticate({ ...BASE, headers: { authorization: '' } }, credentials, NOW)).toEqual({ kind: 'anonymous' });
  });
});

describe('V1 header', () => {
  it('accepts a request 14 minutes off the server clock', () => {
    expect(authenticate(v1Request(NOW - 14 * MIN), credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    expect(authenticate(v1Request(NOW + 14 * MIN), credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  it.each(['OSS ak', 'OSS :sig', 'OSS ak:', 'Basic YWs6c2s=', 'OSSak:sig'])(
    'rejects Authorization %j with 400 InvalidArgument',
    (authorization) => {
      const e = error({ ...BASE, headers: { date: new Date(NOW).toUTCString(), authorization } });
      expect(summary(e)).toEqual([400, 'InvalidArgument', 'Authorization header is invalid.']);
    },
  );

  it('rejects an unknown AccessKeyId with 403 InvalidAccessKeyId', () => {
    const e = error(v1Request(NOW, 'test-secret', 'nobody'));
    expect(summary(e)).toEqual([403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.']);
    expect(extra(e, 'OSSAccessKeyId')).toBe('nobody');
  });

  it('rejects a request without Date or x-oss-date with 403 AccessDenied', () => {
    const input = v1Request(NOW);
    const { date: _date, ...headers } = input.headers;
    expect(summary(error({ ...input, headers }))).toEqual([403, 'AccessDenied', 'OSS authentication requires a valid Date.']);
  });

  it('rejects an unparseable Date with 403 AccessDenied', () => {
    const input = v1Request(NOW);
    const e = error({ ...input, headers: { ...input.headers, date: 'yesterday' } });
    expect(summary(e)).toEqual([403, 'AccessDenied', 'OSS authentication requires a valid Date.']);
  });

  it('rejects a request 16 minutes off with 403 RequestTimeTooSkewed, before checking the signature', () => {
    const e = error(v1Request(NOW - 16 * MIN, 'wrong-secret'));
    expect(summary(e)).toEqual([403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.']);
    expect(extra(e, 'RequestTime')).toBe(new Date(NOW - 16 * MIN).toUTCString());
    expect(extra(e, 'ServerTime')).toBe('2025-04-17T12:00:00.000Z');
    expect(e.ec).toBe('0002-00000504');
  });

  it('rejects a wrong signature with 403 SignatureDoesNotMatch carrying StringToSign and its bytes', () => {
    const e = error(v1Request(NOW, 'wrong-secret'));
    expect(summary(e)).toEqual([
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ]);
    const sts = `GET\n\n\n${new Date(NOW).toUTCString()}\n/examplebucket/test-channel?comp=stat&live`;
    expect(extra(e, 'StringToSign')).toBe(sts);
    expect(extra(e, 'StringToSignBytes')).toBe([...Buffer.from(sts)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    expect(extra(e, 'SignatureProvided')).toBe(hmacSha1Base64('wrong-secret', sts));
  });

  it('never puts the expected signature in the error', () => {
    const input = v1Request(NOW, 'wrong-secret');
    const expected = (v1Request(NOW).headers['authorization'] as string).split(':')[1] as string;
    const e = error(input);
    expect(JSON.stringify([e.message, e.extra])).not.toContain(expected);
  });

  it('rejects a signed key tampered with after signing', () => {
    expect(error({ ...v1Request(NOW), key: 'other-channel' }).code).toBe('SignatureDoesNotMatch');
  });

  it('rejects Authorization together with query-string credentials with 400 InvalidArgument', () => {
    const input = v1Request(NOW);
    const e = error({ ...input, query: [...input.query, ['OSSAccessKeyId', 'ak'], ['Signature', 'x']] });
    expect([e.status, e.code]).toEqual([400, 'InvalidArgument']);
  });

  it('verifies OSS2 (signature V2): a wrong signature is 403 SignatureDoesNotMatch', () => {
    const e = error({ ...BASE, headers: { authorization: 'OSS2 AccessKeyId:ak,Signature:x', date: new Date(NOW).toUTCString() } });
    expect([e.status, e.code]).toEqual([403, 'SignatureDoesNotMatch']);
  });
});

describe('V1 presigned URL', () => {
  const expires = NOW / 1000 + 60;

  it('accepts it until and including the Expires second', () => {
    expect(authenticate(v1Presigned(expires), credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    expect(authenticate(v1Presigned(expires), credentials, expires * 1000 + 999)).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  it.each(['OSSAccessKeyId', 'Expires', 'Signature'])('rejects a URL without %s with 403 AccessDenied', (name) => {
    expect(summary(error(withoutParam(v1Presigned(expires), name)))).toEqual([
      403,
      'AccessDenied',
      'Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters',
    ]);
  });

  it('rejects a non-numeric Expires with 403 AccessDenied', () => {
    expect(summary(error(withParam(v1Presigned(expires), 'Expires', 'tomorrow')))).toEqual([
      403,
      'AccessDenied',
      'Invalid date (should be seconds since epoch).',
    ]);
  });

  it('rejects an expired URL with 403 AccessDenied, checked before the key and the signature', () => {
    const late = (expires + 1) * 1000;
    expect(summary(error(v1Presigned(expires), late))).toEqual([403, 'AccessDenied', 'Request has expired.']);
    expect(summary(error(v1Presigned(expires, 'wrong-secret'), late))).toEqual([403, 'AccessDenied', 'Request has expired.']);
    expect(summary(error(withParam(v1Presigned(expires), 'OSSAccessKeyId', 'nobody'), late))[2]).toBe('Request has expired.');
  });

  it('rejects an unknown OSSAccessKeyId with 403 InvalidAccessKeyId', () => {
    expect(error(withParam(v1Presigned(expires), 'OSSAccessKeyId', 'nobody')).code).toBe('InvalidAccessKeyId');
  });

  it('rejects a wrong signature with SignatureDoesNotMatch whose date line is the Expires value', () => {
    const e = error(v1Presigned(expires, 'wrong-secret'));
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(extra(e, 'StringToSign')).toBe(`GET\n\n\n${expires}\n/examplebucket/test-channel?comp=stat&live`);
  });
});

describe('V4 header', () => {
  it('accepts any region in the credential scope', () => {
    for (const region of ['cn-hangzhou', 'us-east-1', 'ap-southeast-1']) {
      expect(authenticate(v4Request(NOW, { region }), credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    }
  });

  it.each([
    ['no Signature', 'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request'],
    ['no Credential', 'OSS4-HMAC-SHA256 Signature=abc'],
    ['an unknown field', 'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aliyun_v4_request,SignedHeaders=host,Signature=abc'],
    ['a short credential', 'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou,Signature=abc'],
    ['a bad scope date', 'OSS4-HMAC-SHA256 Credential=ak/2025-04-17/cn-hangzhou/oss/aliyun_v4_request,Signature=abc'],
    ['a bad terminator', 'OSS4-HMAC-SHA256 Credential=ak/20250417/cn-hangzhou/oss/aws4_request,Signature=abc'],
  ])('rejects a header with %s with 400 InvalidArgument', (_what, authorization) => {
    const e = error({ ...BASE, headers: { 'x-oss-date': formatV4Timestamp(NOW), authorization } });
    expect(summary(e)).toEqual([400, 'InvalidArgument', 'Authorization header is invalid.']);
  });

  it('rejects an unknown AccessKeyId with 403 InvalidAccessKeyId', () => {
    expect(summary(error(v4Request(NOW, { accessKeyId: 'nobody' })))[1]).toBe('InvalidAccessKeyId');
  });

  it('rejects x-oss-date more than 15 minutes off with 403 RequestTimeTooSkewed', () => {
    expect(summary(error(v4Request(NOW + 16 * MIN)))[1]).toBe('RequestTimeTooSkewed');
    expect(authenticate(v4Request(NOW + 14 * MIN), credentials, NOW).kind).toBe('user');
  });

  it('rejects a request with neither x-oss-date nor Date with 403 AccessDenied', () => {
    const input = v4Request(NOW);
    const { 'x-oss-date': _d, ...headers } = input.headers;
    expect(summary(error({ ...input, headers }))).toEqual([403, 'AccessDenied', 'OSS authentication requires a valid Date.']);
  });

  it('rejects a wrong signature with SignatureDoesNotMatch carrying StringToSign and CanonicalRequest', () => {
    const e = error(v4Request(NOW, { secret: 'wrong-secret' }));
    expect(e.code).toBe('SignatureDoesNotMatch');
    expect(extra(e, 'StringToSign')).toMatch(
      /^OSS4-HMAC-SHA256\n20250417T120000Z\n20250417\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/,
    );
    expect(extra(e, 'CanonicalRequest')).toBe(
      'GET\n/examplebucket/test-channel\ncomp=stat&live\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20250417T120000Z\n\n\nUNSIGNED-PAYLOAD',
    );
  });
});

describe('V4 presigned URL', () => {
  const presigned = (secret = 'test-secret', expiresSeconds = 600): AuthInput => ({
    ...BASE,
    headers: {},
    query: presignV4({
      ...BASE,
      headers: {},
      additionalHeaders: [],
      accessKeyId: 'ak',
      accessKeySecret: secret,
      region: 'cn-hangzhou',
      nowMs: NOW,
      expiresSeconds,
    }),
  });

  it('accepts it until x-oss-date + x-oss-expires', () => {
    expect(authenticate(presigned(), credentials, NOW + 600_000)).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  it('rejects it afterwards with 403 AccessDenied "Request has expired."', () => {
    expect(summary(error(presigned(), NOW + 601_000))).toEqual([403, 'AccessDenied', 'Request has expired.']);
  });

  it.each(['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature'])(
    'rejects a URL without %s with 403 AccessDenied',
    (name) => {
      expect(summary(error(withoutParam(presigned(), name))).slice(0, 2)).toEqual([403, 'AccessDenied']);
    },
  );

  it('rejects a wrong signature with SignatureDoesNotMatch', () => {
    expect(error(presigned('wrong-secret')).code).toBe('SignatureDoesNotMatch');
  });

  it('rejects an unknown AccessKeyId in x-oss-credential', () => {
    const input = presigned();
    const cred = input.query.find(([k]) => k === 'x-oss-credential')?.[1] ?? '';
    expect(error(withParam(input, 'x-oss-credential', cred.replace(/^ak\//, 'nobody/'))).code).toBe('InvalidAccessKeyId');
  });
});

describe('V4 lifetime, dates and payload hash (issue 14 item 7)', () => {
  const DAY = 24 * 3600 * 1000;
  const presignedAt = (signedAtMs: number, expiresSeconds: number, scopeDate?: string): AuthInput => {
    const query = presignV4({
      ...BASE,
      headers: {},
      additionalHeaders: [],
      accessKeyId: 'ak',
      accessKeySecret: 'test-secret',
      region: 'cn-hangzhou',
      nowMs: signedAtMs,
      expiresSeconds,
    });
    if (scopeDate === undefined) return { ...BASE, headers: {}, query };
    return withParam({ ...BASE, headers: {}, query }, 'x-oss-credential', `ak/${scopeDate}/cn-hangzhou/oss/aliyun_v4_request`);
  };

  it('accepts the 7-day maximum, refuses 604801 s and 10 years with EC 0002-00000232', () => {
    expect(authenticate(presignedAt(NOW, 604800), credentials, NOW + 604800_000)).toEqual({ kind: 'user', accessKeyId: 'ak' });
    for (const seconds of [604801, 10 * 365 * 86400]) {
      const e = error(presignedAt(NOW, seconds));
      expect([e.status, e.code, e.ec]).toEqual([403, 'AccessDenied', '0002-00000232']);
      expect(e.message).toContain('between 1 and 604800 seconds');
    }
  });

  it('refuses x-oss-expires=0 as an invalid lifetime, not as "expired"', () => {
    const e = error(presignedAt(NOW, 0));
    expect(e.ec).toBe('0002-00000232');
    expect(e.message).not.toBe('Request has expired.');
  });

  it('refuses an x-oss-date five years ahead (beyond the 15-minute skew) and accepts one 14 minutes ahead', () => {
    const e = error(presignedAt(NOW + 5 * 365 * DAY, 3600));
    expect([e.status, e.code, e.ec]).toEqual([403, 'RequestTimeTooSkewed', '0002-00000504']);
    expect(authenticate(presignedAt(NOW + 14 * MIN, 3600), credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });

  it('refuses a credential scope dated another day than x-oss-date (presigned and header)', () => {
    expect(summary(error(presignedAt(NOW, 600, '20250416'))).slice(0, 2)).toEqual([403, 'AccessDenied']);
    const input = v4Request(NOW);
    const authorization = String(input.headers['authorization']).replace('/20250417/', '/20250416/');
    const e = error({ ...input, headers: { ...input.headers, authorization } });
    expect([e.status, e.code]).toEqual([403, 'AccessDenied']);
    expect(e.message).toContain('20250416');
  });

  it('refuses x-oss-content-sha256 other than UNSIGNED-PAYLOAD with EC 0002-00000214', () => {
    const input = v4Request(NOW);
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const e = error({ ...input, headers: { ...input.headers, 'x-oss-content-sha256': sha } });
    expect([e.status, e.code, e.ec]).toEqual([400, 'InvalidArgument', '0002-00000214']);
    expect(authenticate(input, credentials, NOW)).toEqual({ kind: 'user', accessKeyId: 'ak' });
  });
});
