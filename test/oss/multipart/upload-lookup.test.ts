// src/oss/multipart/upload-lookup.ts: what CompleteMultipartUpload answers as the object's ETag.
import { describe, expect, it } from 'vitest';
import { multipartEtag, sameEtag } from '../../../src/oss/multipart/upload-lookup.js';
import type { PartRow } from '../../../src/store/rows.js';

const part = (partNumber: number, etag: string): PartRow => ({
  uploadId: 'u',
  partNumber,
  file: '',
  size: 102_400,
  etag,
  crc64: undefined,
  lastModifiedMs: 0,
});

describe('multipart ETag', () => {
  it('is the value real OSS gives: MD5 of the parts’ upper-case hex ETags as text, then -<parts>', () => {
    // The Go SDK's tests (download_test.go, multicopy_test.go), run against real OSS, upload
    // sample/BingWallpaper-2015-11-07.jpg (482,048 B) in 100 KiB parts and expect this ETag. These are its parts' MD5s.
    const parts = [
      '"251AD9D223371CF6380544DF72E106CB"',
      '"215A888785362D10E3F5204BFAB1EEDF"',
      '"547DF973F1622420B4D20B5E7C6D329C"',
      '"B820869246C889A0AD3C54043F2B7E05"',
      '"BCCAB4D694301EB00A03686D12F331A7"',
    ].map((etag, i) => part(i + 1, etag));
    expect(multipartEtag(parts)).toBe('"2351E662233817A7AE974D8C5B0876DD-5"');
    // S3's rule (MD5 of the binary MD5s) gives another value: "6F52A710096C076B50B99034442BAF0C-5".
  });

  it('does not depend on how a part ETag was quoted or cased', () => {
    const a = multipartEtag([part(1, '"251AD9D223371CF6380544DF72E106CB"')]);
    expect(multipartEtag([part(1, '251ad9d223371cf6380544df72e106cb')])).toBe(a);
    expect(sameEtag(a, a.toLowerCase().replace(/"/g, ''))).toBe(true);
  });
});
