// DeleteMultipleObjects deletes exactly the keys named, whatever characters they hold (issue 11 item 5, issue 14 item 13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type OSS from 'ali-oss';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';

let emu: Emulator;
let bucket: string;
let client: OSS;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('delmulti');
  client = ossClient(emu, bucket);
  await client.putBucket(bucket);
});
afterAll(() => emu.close());

const exists = async (key: string): Promise<boolean> => (await signedRequest(emu, { method: 'HEAD', bucket, key })).status === 200;

describe('DeleteMultipleObjects', () => {
  it('deletes keys with a trailing space, quotes, TAB and LF sent as ali-oss escapes them', async () => {
    const keys = ['trailing ', ' leading', 'quote"s', "apo'strophe", 'tab\there', 'line\nbreak', 'amp&lt'];
    for (const key of keys) await client.put(key, Buffer.from(key));
    const result = (await client.deleteMulti(keys)) as unknown as { deleted: Array<string | { Key: string }> };
    for (const key of keys) expect(await exists(key), key).toBe(false);
    expect(result.deleted.length).toBe(keys.length);
  });

  it("deletes keys written with the Go SDK's numeric character references", async () => {
    const keys = ['go "quoted"', "go it's", 'go\ttab', 'go\r\nline', 'go space '];
    for (const key of keys) await client.put(key, Buffer.from('x'));
    // encoding/xml EscapeText as the Go SDK sends the body.
    const esc = (k: string) =>
      k
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&#34;')
        .replace(/'/g, '&#39;')
        .replace(/\t/g, '&#x9;')
        .replace(/\n/g, '&#xA;')
        .replace(/\r/g, '&#xD;');
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Delete><Quiet>false</Quiet>${keys.map((k) => `<Object><Key>${esc(k)}</Key></Object>`).join('')}</Delete>`;
    const res = await signedRequest(emu, {
      method: 'POST',
      bucket,
      query: [
        ['delete', ''],
        ['encoding-type', 'url'],
      ],
      body,
      contentType: 'application/xml',
    });
    expect(res.status).toBe(200);
    for (const key of keys) expect(await exists(key), JSON.stringify(key)).toBe(false);
    const unescape = (t: string) =>
      t
        .replace(/&apos;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const reported = [...res.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(unescape(m[1]!)));
    expect(reported).toEqual(keys);
  });

  it('reads a literal CR as LF, as XML parsers do (only `&#xD;` is a CR)', async () => {
    await client.put('cr\rkey', Buffer.from('x'));
    await client.put('cr\nkey', Buffer.from('x'));
    const body = '<Delete><Quiet>true</Quiet><Object><Key>cr\rkey</Key></Object></Delete>';
    expect(
      (await signedRequest(emu, { method: 'POST', bucket, query: [['delete', '']], body, contentType: 'application/xml' })).status,
    ).toBe(200);
    expect(await exists('cr\rkey')).toBe(true);
    expect(await exists('cr\nkey')).toBe(false);
  });

  it('leaves a key alone when only its trimmed twin is named', async () => {
    await client.put('twin', Buffer.from('a'));
    await client.put('twin ', Buffer.from('b'));
    await client.deleteMulti(['twin ']);
    expect(await exists('twin')).toBe(true);
    expect(await exists('twin ')).toBe(false);
  });
});
