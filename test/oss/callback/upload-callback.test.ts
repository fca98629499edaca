// x-oss-callback on PutObject and CompleteMultipartUpload: the emulator POSTs the substituted body to a callback server on loopback and answers
// the upload with that server's JSON; 203 CallbackFailed when it fails or the host is not allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { startCallbackServer, type CallbackHit, type CallbackServer } from '../../helpers/callback-server.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { untyped, type UntypedOss } from '../../helpers/ali-oss-untyped.js';

let emu: Emulator;
let bucket: string;
let client: UntypedOss;
let hooks: CallbackServer;
let port: number;
let seen: CallbackHit[];

beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('cb');
  client = untyped(ossClient(emu, bucket));
  await client.putBucket(bucket);
  hooks = await startCallbackServer();
  ({ port, seen } = hooks);
});
afterAll(async () => {
  await hooks.close();
  await emu.close();
});

const callbackHeaders = (url: string, body: string, vars?: Record<string, string>, type?: string) => ({
  'x-oss-callback': Buffer.from(JSON.stringify({ callbackUrl: url, callbackBody: body, ...(type && { callbackBodyType: type }) })).toString(
    'base64',
  ),
  ...(vars && { 'x-oss-callback-var': Buffer.from(JSON.stringify(vars)).toString('base64') }),
});

describe('upload callback (x-oss-callback)', () => {
  it("POSTs the body with bucket, object, etag, size, mimeType and x: variables, and answers with the server's JSON", async () => {
    const headers = callbackHeaders(
      `http://127.0.0.1:${port}/hook`,
      'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&who=${x:who}',
      { 'x:who': 'a b' },
    );
    const res = await client.put('rec/1.ts', Buffer.from('hello'), { headers });
    expect(res.res.status).toBe(200);
    const hook = seen.at(-1)!;
    expect(hook.url).toBe('/hook');
    expect(hook.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(hook.body).toBe(
      `bucket=${bucket}&object=rec%2F1.ts&etag=5D41402ABC4B2A76B9719D911017C592&size=5&mimeType=video%2Fmp2t&who=a%20b`,
    );
    expect(JSON.parse(Buffer.from(res.res.data as Buffer).toString())).toEqual({ ok: true, got: hook.body });
  });

  it('sends JSON bodies JSON-escaped', async () => {
    const headers = callbackHeaders(
      `http://127.0.0.1:${port}/json`,
      '{"object":"${object}","size":${size}}',
      undefined,
      'application/json',
    );
    await client.put('q"uote.txt', Buffer.from('x'), { headers });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ object: 'q"uote.txt', size: 1 });
  });

  it('answers 203 CallbackFailed when the server fails or the host is not allowed; the object is stored either way', async () => {
    const failed = (await client
      .put('f.txt', Buffer.from('x'), { headers: callbackHeaders(`http://127.0.0.1:${port}/fail`, 'a=1') })
      .catch((e: unknown) => e)) as { status: number; code: string };
    expect(failed).toMatchObject({ status: 203, code: 'CallbackFailed' });
    expect(emu.state.object(bucket, 'f.txt')).toBeDefined();
    const before = seen.length;
    const remote = (await client
      .put('r.txt', Buffer.from('x'), { headers: callbackHeaders('http://callback.example.com/hook', 'a=1') })
      .catch((e: unknown) => e)) as { status: number; code: string; message: string };
    expect(remote).toMatchObject({ status: 203, code: 'CallbackFailed' });
    expect(remote.message).toContain('--callback-allow');
    expect(seen.length).toBe(before);
  });

  it('refuses a malformed callback before storing anything', async () => {
    const err = (await client.put('bad.txt', Buffer.from('x'), { headers: { 'x-oss-callback': 'not json' } }).catch((e: unknown) => e)) as {
      status: number;
      code: string;
    };
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(emu.state.object(bucket, 'bad.txt')).toBeUndefined();
  });
});

describe('upload callback on CompleteMultipartUpload', () => {
  const upload = async (key: string) => {
    const { uploadId } = (await client.initMultipartUpload(key)) as { uploadId: string };
    const part = (await client.uploadPart(key, uploadId, 1, Buffer.from('multipart body'))) as { etag: string };
    return { uploadId, parts: [{ number: 1, etag: part.etag }] };
  };

  it("POSTs the substituted body once the object is complete and answers with the server's JSON", async () => {
    const { uploadId, parts } = await upload('mp/1.bin');
    const res = (await client.completeMultipartUpload('mp/1.bin', uploadId, parts, {
      headers: callbackHeaders(`http://127.0.0.1:${port}/mp`, 'object=${object}&size=${size}&etag=${etag}'),
    })) as { res: { status: number; data: Buffer } };
    expect(res.res.status).toBe(200);
    const hook = seen.at(-1)!;
    expect(hook.url).toBe('/mp');
    const etag = emu.state.object(bucket, 'mp/1.bin')!.etag.replace(/"/g, '');
    expect(etag).toMatch(/-1$/);
    expect(hook.body).toBe(`object=mp%2F1.bin&size=14&etag=${encodeURIComponent(etag)}`);
    expect(JSON.parse(Buffer.from(res.res.data).toString())).toEqual({ ok: true, got: hook.body });
  });

  it('answers 203 CallbackFailed for a host the emulator may not reach (the Go SDK’s test: a bare www.aliyuncs.com); the object is complete', async () => {
    const { uploadId, parts } = await upload('mp/2.bin');
    const before = seen.length;
    const err = (await client
      .completeMultipartUpload('mp/2.bin', uploadId, parts, { headers: callbackHeaders('www.aliyuncs.com', 'filename=${object}') })
      .catch((e: unknown) => e)) as { status: number; code: string };
    expect(err).toMatchObject({ status: 203, code: 'CallbackFailed' });
    expect(seen.length).toBe(before);
    expect(emu.state.object(bucket, 'mp/2.bin')?.size).toBe(14);
  });

  it('refuses a malformed callback before completing: the upload stays open', async () => {
    const { uploadId, parts } = await upload('mp/3.bin');
    const err = (await client
      .completeMultipartUpload('mp/3.bin', uploadId, parts, { headers: { 'x-oss-callback': 'not json' } })
      .catch((e: unknown) => e)) as { status: number; code: string };
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(emu.state.object(bucket, 'mp/3.bin')).toBeUndefined();
    const listed = (await client.listParts('mp/3.bin', uploadId)) as { parts: { PartNumber: string } | unknown[] };
    // ali-oss gives a single part as an object, several as an array.
    expect(listed.parts).toMatchObject({ PartNumber: '1' });
  });
});
