// Upload callback on a presigned PUT: the callback travels as the signed query parameters `callback` and
// `callback-var` (ali-oss signatureUrl({ callback }), oss2 sign_url(params=…)), not as x-oss-callback headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { startCallbackServer, type CallbackServer } from '../../helpers/callback-server.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
let bucket: string;
let hooks: CallbackServer;

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('cbq');
  await ossClient(emu).putBucket(bucket);
  hooks = await startCallbackServer(() => ({ ok: true }));
});
afterAll(async () => {
  await hooks.close();
  await emu.close();
});

describe('upload callback in a presigned PUT URL', () => {
  it('calls the callback named in the signed query (ali-oss signatureUrl callback) and answers with its JSON', async () => {
    const url = presignedUrl(emu, bucket, 'signed-cb.txt', {
      method: 'PUT',
      expires: 60,
      callback: { url: `http://127.0.0.1:${hooks.port}/hook`, body: 'bucket=${bucket}&object=${object}' },
    });
    expect(new URL(url).searchParams.get('callback')).toBeTruthy();
    const res = await fetch(url, { method: 'PUT', body: Buffer.from('hello') });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(hooks.seen.at(-1)?.body).toBe(`bucket=${bucket}&object=signed-cb.txt`);
  });

  it('answers 203 CallbackFailed when the callback cannot be reached, keeping the object (oss2 test_sign_url_with_callback)', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
    const url = presignedUrl(emu, bucket, 'unreachable-cb.txt', {
      method: 'PUT',
      expires: 60,
      subResource: {
        callback: b64({ callbackUrl: 'http://cbsrv.oss.demo.com', callbackBody: 'bucket=${bucket}&object=${object}' }),
        'callback-var': b64({ 'x:my_var1': 'my_val1' }),
      },
    });
    const res = await fetch(url, { method: 'PUT' });
    expect(res.status).toBe(203);
    expect(await res.text()).toContain('<Code>CallbackFailed</Code>');
    expect((await ossClient(emu, bucket).head('unreachable-cb.txt')).res.status).toBe(200);
  });
});
