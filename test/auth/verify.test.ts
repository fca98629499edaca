// Proves signature comparison goes through crypto.timingSafeEqual (never ===).
import crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, verifyRtmpSignature } from '../../src/auth/authenticate.js';
import { Credentials } from '../../src/auth/credentials.js';
import { hmacSha1Base64 } from '../../src/auth/signature-v1.js';
import { constantTimeEqual } from '../../src/auth/verify.js';

// Wrap the real function so behaviour is unchanged but every call is recorded.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual = vi.fn(real.timingSafeEqual);
  // verify.ts uses the default import; under esModuleInterop that object carries the same functions.
  return { ...real, timingSafeEqual, default: { ...real, timingSafeEqual } };
});

const spy = vi.mocked(crypto.timingSafeEqual);
const credentials = new Credentials([{ accessKeyId: 'ak', accessKeySecret: 'test-secret' }]);
const DATE = 'Thu, 25 Aug 2016 06:22:01 GMT';
const request = (signature: string) => ({
  method: 'GET',
  bucket: 'examplebucket',
  key: 'test-channel',
  query: [
    ['live', ''],
    ['comp', 'stat'],
  ] as const,
  headers: { date: DATE, authorization: `OSS ak:${signature}` },
});

beforeEach(() => {
  spy.mockClear();
});

describe('constantTimeEqual', () => {
  it('compares equal strings as equal through timingSafeEqual on their bytes', () => {
    expect(constantTimeEqual('fDopgx6joupiQ9wefBTUPWZSipM=', 'fDopgx6joupiQ9wefBTUPWZSipM=')).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] ?? [];
    expect([(a as Buffer).toString(), (b as Buffer).toString()]).toEqual(['fDopgx6joupiQ9wefBTUPWZSipM=', 'fDopgx6joupiQ9wefBTUPWZSipM=']);
  });

  it('tells signatures of the same length apart (a difference in the last byte too)', () => {
    expect(constantTimeEqual('fDopgx6joupiQ9wefBTUPWZSipM=', 'fDopgx6joupiQ9wefBTUPWZSipN=')).toBe(false);
    expect(constantTimeEqual('fDopgx6joupiQ9wefBTUPWZSipM=', 'gDopgx6joupiQ9wefBTUPWZSipM=')).toBe(false);
  });

  it('returns false for different lengths instead of throwing, still through timingSafeEqual', () => {
    expect(constantTimeEqual('abcd', 'abc')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('abc', '')).toBe(false);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});

describe('verifiers', () => {
  it('authenticate() decides a good V1 signature via timingSafeEqual', () => {
    expect(authenticate(request('fDopgx6joupiQ9wefBTUPWZSipM='), credentials, Date.parse(DATE)).kind).toBe('user');
    expect(spy).toHaveBeenCalled();
    expect(spy.mock.results.some((r) => r.value === true)).toBe(true);
  });

  it('authenticate() rejects a bad V1 signature only after timingSafeEqual said false', () => {
    expect(() => authenticate(request('AAAAAAAAAAAAAAAAAAAAAAAAAAA='), credentials, Date.parse(DATE))).toThrow(/signature/);
    expect(spy).toHaveBeenCalled();
    expect(spy.mock.results.every((r) => r.value === false)).toBe(true);
  });

  it('verifyRtmpSignature() compares through timingSafeEqual too', () => {
    const signature = hmacSha1Base64('test-secret', '1700000000\n/examplebucket/test-channel');
    const params = [
      ['OSSAccessKeyId', 'ak'],
      ['Expires', '1700000000'],
      ['Signature', signature],
    ] as const;
    expect(verifyRtmpSignature({ bucket: 'examplebucket', channel: 'test-channel', params }, credentials, 1_699_999_000_000).accept).toBe(
      true,
    );
    expect(spy).toHaveBeenCalledTimes(1);
  });
});
