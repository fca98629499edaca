import { describe, expect, it } from 'vitest';
import { Credentials } from '../../src/auth/credentials.js';
import { authenticate, verifyRtmpSignature } from '../../src/auth/authenticate.js';
import { checkPresignedV1, presignedV1Error } from '../../src/auth/presigned-v1.js';
import { hmacSha1Base64 } from '../../src/auth/signature-v1.js';
import { OssError } from '../../src/oss/wire/errors.js';

const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: 'secret' }]);
const NOW = 1_700_000_000_000;
const query = (signature: string, expires = '1700000100'): Array<[string, string]> => [
  ['OSSAccessKeyId', 'ak'],
  ['Expires', expires],
  ['Signature', signature],
];

describe('checkPresignedV1: the one V1 presigned check of HTTP presigned URLs and RTMP publish URLs', () => {
  it('tries each StringToSign in turn and reports the first on a mismatch', () => {
    const signed = hmacSha1Base64('secret', 'second');
    expect(checkPresignedV1(query(signed), credentials, NOW, () => ['first', 'second'])).toEqual({ ok: true, accessKeyId: 'ak' });
    expect(checkPresignedV1(query('wrong'), credentials, NOW, () => ['first', 'second'])).toEqual({
      ok: false,
      problem: 'signature-mismatch',
      accessKeyId: 'ak',
      provided: 'wrong',
      stringToSign: 'first',
    });
  });

  it('checks Expires before the key and the signature, as OSS does', () => {
    const never = () => {
      throw new Error('no StringToSign is built for an expired URL');
    };
    expect(checkPresignedV1(query('x', '1699999999'), credentials, NOW, never)).toEqual({ ok: false, problem: 'expired' });
    expect(checkPresignedV1(query('x', 'soon'), credentials, NOW, never)).toEqual({ ok: false, problem: 'invalid-expires' });
  });

  it('gives HTTP and RTMP the same message for the same failure', () => {
    const failures = [
      query('x', '1699999999'),
      query('x', 'soon'),
      query('x').slice(1),
      [['OSSAccessKeyId', 'nobody'], ...query('x').slice(1)],
    ];
    for (const q of failures) {
      const rtmp = verifyRtmpSignature({ bucket: 'b', channel: 'c', params: q as Array<[string, string]> }, credentials, NOW);
      let http: unknown;
      try {
        authenticate({ method: 'GET', bucket: 'b', key: 'k', query: q as Array<[string, string]>, headers: {} }, credentials, NOW);
      } catch (err) {
        http = err;
      }
      expect(http).toBeInstanceOf(OssError);
      expect(rtmp).toMatchObject({ accept: false, code: 'NetStream.Publish.Unauthorized', description: (http as OssError).message });
    }
    expect(presignedV1Error({ problem: 'expired' })).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Request has expired.' });
  });
});
