// Issue 14 item 11: a non-ASCII response-content-disposition was a 500; it is encoded per RFC 6266 / RFC 5987.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { contentDispositionValue } from '../../../src/oss/objects/response-header-value.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('disp');
  await ossClient(emu).putBucket(bucket);
  await ossClient(emu, bucket).put('report.pdf', Buffer.from('%PDF'));
});
afterAll(() => emu.close());

describe('response-content-disposition with non-ASCII characters', () => {
  it('answers 200 with an ASCII filename fallback and filename*=UTF-8 (ali-oss get with the response- sub-resource)', async () => {
    const result = await ossClient(emu, bucket).get('report.pdf', {
      subres: { 'response-content-disposition': 'attachment; filename="年度报告 2025.pdf"' },
    } as never);
    expect(result.res.status).toBe(200);
    const header = String((result.res.headers as Record<string, string>)['content-disposition']);
    expect(header).toBe(`attachment; filename="____ 2025.pdf"; filename*=UTF-8''${encodeURIComponent('年度报告 2025.pdf')}`);
    // What a browser does with it: filename* wins and decodes to the original name.
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(header)![1]!)).toBe('年度报告 2025.pdf');
  });

  it('works in a presigned URL too, and leaves ASCII values exactly as given', async () => {
    const url = presignedUrl(emu, bucket, 'report.pdf', { response: { 'content-disposition': 'inline; filename="naïve ☃.pdf"' } });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('naïve ☃.pdf')}`);
    const plain = await ossClient(emu, bucket).get('report.pdf', {
      subres: { 'response-content-disposition': 'attachment; filename="a.pdf"' },
    } as never);
    expect((plain.res.headers as Record<string, string>)['content-disposition']).toBe('attachment; filename="a.pdf"');
  });

  it('encodes RFC 5987 attr-chars and an explicit filename*', () => {
    expect(contentDispositionValue("attachment; filename*=UTF-8''l'été (1)!.txt")).toBe(
      "attachment; filename*=UTF-8''l%27%C3%A9t%C3%A9%20%281%29%21.txt",
    );
  });
});
