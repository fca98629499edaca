// src/auth/signature-v1.ts: the canonical x-oss-* header block of the V1 string to sign.
import { describe, expect, it } from 'vitest';
import { canonicalizedOssHeaders, v1StringToSign } from '../../src/auth/signature-v1.js';

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
