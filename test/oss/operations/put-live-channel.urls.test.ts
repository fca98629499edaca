// PublishUrls/PlayUrls follow the host the client used (issue 11 item 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromFlagsAndEnv } from '../../../src/cli/serve-flags.js';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';
import { signedRequest } from '../../helpers/signed-request.js';
import type { LiveChannelClient } from '../../helpers/live-channel.js';

const urlsOf = (xml: string) => [...xml.matchAll(/<Url>([^<]*)<\/Url>/g)].map((m) => m[1]);

describe('default url style', () => {
  let emu: Emulator;
  let bucket: string;
  let port: number;
  beforeAll(async () => {
    emu = await startTestEmulator();
    bucket = uniqueBucket('urls');
    port = emu.httpPort;
    await ossClient(emu).putBucket(bucket);
  });
  afterAll(() => emu.close());

  it('a virtual-hosted request to <bucket>.oss-cn-hangzhou.aliyuncs.com:PORT gets URLs on that host', async () => {
    const body = '<LiveChannelConfiguration><Target><Type>HLS</Type></Target></LiveChannelConfiguration>';
    const res = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'mapped',
      query: [['live', '']],
      body,
      contentType: 'application/xml',
      virtualHost: `oss-cn-hangzhou.aliyuncs.com:${port}`,
    });
    expect(res.status).toBe(200);
    expect(urlsOf(res.text)).toEqual([
      `rtmp://${bucket}.oss-cn-hangzhou.aliyuncs.com:${port}/live/mapped`,
      `http://${bucket}.oss-cn-hangzhou.aliyuncs.com:${port}/mapped/playlist.m3u8`,
    ]);
  });

  it("ali-oss's IP mode (that Host without a port, sent to the IP) still gets path-style URLs on the address it reached", async () => {
    const client = ossClient(emu, bucket) as unknown as LiveChannelClient;
    const result = await client.putChannel('ip-mode', { Target: { Type: 'HLS' } });
    expect(result.publishUrls).toEqual([`rtmp://127.0.0.1:${port}/${bucket}/live/ip-mode`]);
    expect(result.playUrls).toEqual([`http://127.0.0.1:${port}/${bucket}/ip-mode/playlist.m3u8`]);
  });
});

describe("url style 'oss'", () => {
  let emu: Emulator;
  let bucket: string;
  beforeAll(async () => {
    emu = await startTestEmulator({ urlStyle: 'oss' });
    bucket = uniqueBucket('ossurls');
    await ossClient(emu).putBucket(bucket);
  });
  afterAll(() => emu.close());

  it('answers an IP endpoint with http://<bucket>.127.0.0.1:PORT/… as OSS writes it (what oss2 tests compare)', async () => {
    const body =
      '<LiveChannelConfiguration><Target><Type>HLS</Type><PlaylistName>test.m3u8</PlaylistName></Target></LiveChannelConfiguration>';
    const res = await signedRequest(emu, {
      method: 'PUT',
      bucket,
      key: 'oss-form',
      query: [['live', '']],
      body,
      contentType: 'application/xml',
    });
    const host = new URL(emu.endpoint).host;
    expect(urlsOf(res.text)).toEqual([`rtmp://${bucket}.${host}/live/oss-form`, `http://${bucket}.${host}/oss-form/test.m3u8`]);
  });

  it('is set by --url-style or OSS_EMULATOR_URL_STYLE, and refuses other values', () => {
    expect(fromFlagsAndEnv(['--url-style', 'oss'], {}).config.urlStyle).toBe('oss');
    expect(fromFlagsAndEnv([], { OSS_EMULATOR_URL_STYLE: 'oss' }).config.urlStyle).toBe('oss');
    expect(fromFlagsAndEnv([], {}).config.urlStyle).toBe('playable');
    expect(() => fromFlagsAndEnv(['--url-style', 'virtual'], {})).toThrow(/playable or oss/);
  });
});
