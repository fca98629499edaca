// Header values sign as the UTF-8 bytes the client sent (issue 11 item 6): oss2 and ali-oss put Chinese text in x-oss-meta-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OSS from 'ali-oss';
import type { Emulator } from '../../src/emulator.js';
import { headerText } from '../../src/auth/signed-request.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('utf8');
  await ossClient(emu).putBucket(bucket);
});
afterAll(() => emu.close());

// ali-oss sends non-latin1 header values only with headerEncoding 'latin1' (UTF-8 bytes on the wire, signed as those bytes).
const clients: Array<[string, Record<string, unknown>]> = [
  ['V1', { headerEncoding: 'latin1' }],
  ['V4', { headerEncoding: 'latin1', authorizationV4: true, region: 'oss-cn-hangzhou' }],
];

describe('UTF-8 header values', () => {
  for (const [name, options] of clients) {
    it(`accepts ali-oss ${name} with a Chinese x-oss-meta value and gives the bytes back`, async () => {
      const client = ossClient(emu, bucket, options) as OSS;
      const meta = '中文元数据 ünïcode';
      const key = `meta-${name}.txt`;
      await client.put(key, Buffer.from('hello'), { meta: { note: meta } } as unknown as OSS.PutObjectOptions);
      const head = await client.head(key);
      // The value comes back as the same bytes; Node reads them as latin1.
      const raw = (head.res.headers as Record<string, string>)['x-oss-meta-note']!;
      expect(Buffer.from(raw, 'latin1').toString('utf8')).toBe(meta);
    });
  }

  it('re-reads latin1-decoded header text as UTF-8 only when the bytes are valid UTF-8', () => {
    expect(headerText(Buffer.from('中文', 'utf8').toString('latin1'))).toBe('中文');
    expect(headerText('plain ascii')).toBe('plain ascii');
    // A lone 0xE9 is no UTF-8: kept as it arrived.
    expect(headerText('caf\u00e9')).toBe('caf\u00e9');
  });
});
