// src/auth/signature-v1.ts: the canonical x-oss-* header block of the V1 string to sign.
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { canonicalizedOssHeaders, hmacSha1Base64, v1StringToSign } from '../../src/auth/signature-v1.js';
import { parseRequestTime } from '../../src/auth/request-time.js';

describe('canonicalizedOssHeaders', () => {
  it('keeps only x-oss-* headers, lower-cased, values trimmed, sorted by name', () => {
    const headers = {
      host: 'b.example',
      'X-OSS-Meta-B': ' two ',
      'x-oss-date': 'Wed, 01 Jan 2025 00:00:00 GMT',
      'content-type': 'text/plain',
      'x-oss-meta-a': 'one',
    };
    expect(canonicalizedOssHeaders(headers)).toBe('x-oss-date:Wed, 01 Jan 2025 00:00:00 GMT\nx-oss-meta-a:one\nx-oss-meta-b:two\n');
  });

  it('sorts by name, not by line: x-oss-a before x-oss-a-b', () => {
    expect(canonicalizedOssHeaders({ 'x-oss-a-b': '1', 'x-oss-a': '2' })).toBe('x-oss-a:2\nx-oss-a-b:1\n');
  });

  it('is empty without x-oss-* headers, and one line for one', () => {
    expect(canonicalizedOssHeaders({ host: 'h', 'x-oss': 'not a prefix match', date: 'd' })).toBe('');
    expect(canonicalizedOssHeaders({ 'x-oss-acl': 'public-read' })).toBe('x-oss-acl:public-read\n');
  });

  it('sits between the Date line and the resource in the string to sign', () => {
    const s = v1StringToSign({
      method: 'PUT',
      contentMd5: '',
      contentType: 'text/plain',
      date: 'D',
      ossHeaders: { 'x-oss-acl': 'private' },
      bucket: 'b1x',
      key: 'k',
      subresources: [['acl', '']],
    });
    expect(s).toBe('PUT\n\ntext/plain\nD\nx-oss-acl:private\n/b1x/k?acl');
  });
});

describe('hmacSha1Base64 (remembered per secret)', () => {
  const reference = (secret: string, s: string) => crypto.createHmac('sha1', secret).update(s, 'utf8').digest('base64');

  it('gives the HMAC of each secret and string, asked again, in any order, past the number it remembers', () => {
    const strings = Array.from(
      { length: 1200 },
      (_, i) => `GET\n\n\nWed, 01 Jan 2025 00:00:${String(i % 60).padStart(2, '0')} GMT\n/b/k${i}`,
    );
    for (let round = 0; round < 2; round++) {
      for (const [i, s] of strings.entries()) {
        const secret = i % 3 === 0 ? 'secret-a' : 'secret-b';
        expect(hmacSha1Base64(secret, s)).toBe(reference(secret, s));
      }
    }
    expect(hmacSha1Base64('secret-a', strings[0]!)).not.toBe(hmacSha1Base64('secret-b', strings[0]!));
    const long = 'x'.repeat(5000) + '中';
    expect(hmacSha1Base64('secret-a', long)).toBe(reference('secret-a', long));
    expect(hmacSha1Base64('secret-a', long)).toBe(reference('secret-a', long));
  });
});

describe('parseRequestTime (the last value remembered)', () => {
  it('parses each value again when values alternate, valid or not', () => {
    const a = 'Wed, 01 Jan 2025 00:00:00 GMT';
    const b = '20250101T000001Z';
    for (let i = 0; i < 3; i++) {
      expect(parseRequestTime(a)).toBe(Date.UTC(2025, 0, 1, 0, 0, 0));
      expect(parseRequestTime(a)).toBe(Date.UTC(2025, 0, 1, 0, 0, 0));
      expect(parseRequestTime('not a date')).toBeUndefined();
      expect(parseRequestTime(b)).toBe(Date.UTC(2025, 0, 1, 0, 0, 1));
      expect(parseRequestTime('20251301T000000Z')).toBeUndefined();
    }
  });
});
