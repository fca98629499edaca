import { describe, expect, it } from 'vitest';
import { canonicalizedResource } from '../../src/auth/signature-v1.js';
import { flattenHeaders } from '../../src/auth/signed-request.js';

describe('flattenHeaders', () => {
  it("hands Node's flat headers back as they are (no copy per request)", () => {
    const headers = { host: 'h', date: 'Sat, 28 Nov 2026 17:00:00 GMT', 'x-oss-meta-a': 'plain' };
    expect(flattenHeaders(headers)).toBe(headers);
  });

  it('joins repeated values with a comma, lower-cases names and reads UTF-8 bytes that arrived as latin1', () => {
    const utf8AsLatin1 = Buffer.from('中文', 'utf8').toString('latin1');
    const headers = { 'x-oss-meta-list': ['a', 'b'], 'X-Oss-Meta-Upper': 'u', 'x-oss-meta-zh': utf8AsLatin1, gone: undefined };
    const flat = flattenHeaders(headers);
    expect(flat).not.toBe(headers);
    expect(flat).toEqual({ 'x-oss-meta-list': 'a,b', 'x-oss-meta-upper': 'u', 'x-oss-meta-zh': '中文' });
  });

  it('copies when a single value is not ASCII, even with lower-case names', () => {
    const headers = { 'x-oss-meta-zh': Buffer.from('ü', 'utf8').toString('latin1') };
    expect(flattenHeaders(headers)).toEqual({ 'x-oss-meta-zh': 'ü' });
  });
});

describe('canonicalizedResource', () => {
  it('signs each sub-resource once (the first of a repeated name), sorted, bare when empty; other parameters dropped', () => {
    const query: Array<[string, string]> = [
      ['live', ''],
      ['comp', 'stat'],
      ['comp', 'history'],
      ['max-keys', '10'],
      ['acl', ''],
    ];
    expect(canonicalizedResource('b', 'cam', query)).toBe('/b/cam?acl&comp=stat&live');
    expect(canonicalizedResource('b', 'cam', [['max-keys', '10']])).toBe('/b/cam');
  });
});
