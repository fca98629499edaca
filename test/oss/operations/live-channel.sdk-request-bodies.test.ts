// What the SDKs put in LiveChannel request bodies and calls (issue 11 items 2, 4 and 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliError, configXml, errorOf, signedRequest, startLiveFixture, type LiveFixture } from '../../helpers/live-channel.js';

let f: LiveFixture;
beforeAll(async () => {
  f = await startLiveFixture();
});
afterAll(() => f.emu.close());

const putConfig = (channel: string, body: string) =>
  signedRequest(f.emu, { method: 'PUT', bucket: f.bucket, key: channel, query: [['live', '']], body, contentType: 'application/xml' });

describe('an empty PlaylistName means the default playlist.m3u8', () => {
  for (const [label, element] of [
    ['<PlaylistName/>', '<PlaylistName/>'],
    ['<PlaylistName></PlaylistName>', '<PlaylistName></PlaylistName>'],
  ]) {
    it(`accepts ${label} (oss2 sends it when the caller names no playlist)`, async () => {
      const channel = `empty-playlist-${label.length}`;
      const res = await putConfig(channel, configXml(`<Target><Type>HLS</Type>${element}</Target>`));
      expect(res.status).toBe(200);
      expect(res.text).toContain(`/${channel}/playlist.m3u8</Url>`);
      const info = await f.client.getChannel(channel);
      expect((info.data.Target as Record<string, string>).PlaylistName).toBe('playlist.m3u8');
    });
  }

  it('accepts an empty PlaylistName from ali-oss', async () => {
    const result = await f.client.putChannel('empty-playlist-ali', { Target: { Type: 'HLS', PlaylistName: '' } });
    expect(result.playUrls[0]).toMatch(/\/empty-playlist-ali\/playlist\.m3u8$/);
  });
});

describe('PostVodPlaylist without segments in the span', () => {
  it('answers 400 InvalidArgument EC 0044-00000308 even for a just-deleted channel (ali-oss test)', async () => {
    await f.client.putChannel('vod-gone', { Target: { Type: 'HLS' } });
    await f.client.deleteChannel('vod-gone');
    const now = Math.floor(Date.now() / 1000);
    const err = await aliError(f.client.createVod('vod-gone', 'vod.m3u8', { startTime: now - 100, endTime: now }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('InvalidArgument');
    expect(err.ecCode).toBe('0044-00000308');
  });

  it('answers 400 EC 0044-00000308 before checking the playlist name', async () => {
    await f.client.putChannel('vod-empty', { Target: { Type: 'HLS' } });
    const now = Math.floor(Date.now() / 1000);
    const res = await signedRequest(f.emu, {
      method: 'POST',
      bucket: f.bucket,
      key: 'vod-empty/not-a-playlist.txt',
      query: [
        ['vod', ''],
        ['startTime', String(now - 100)],
        ['endTime', String(now)],
      ],
    });
    expect(errorOf(res)).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0044-00000308' });
  });
});

describe('request XML text is kept exactly', () => {
  it("decodes the Go SDK's numeric character references and keeps spaces (Description round-trips)", async () => {
    // encoding/xml EscapeText: " ' CR TAB LF as &#34; &#39; &#xD; &#x9; &#xA;
    const sent = ' say &#34;hi&#34; &amp; it&#39;s&#x9;tabbed&#xD;&#xA;second line ';
    const expected = ' say "hi" & it\'s\ttabbed\r\nsecond line ';
    const res = await putConfig('described', configXml(`<Description>${sent}</Description><Target><Type>HLS</Type></Target>`));
    expect(res.status).toBe(200);
    const info = await signedRequest(f.emu, { method: 'GET', bucket: f.bucket, key: 'described', query: [['live', '']] });
    const description = /<Description>([^<]*)<\/Description>/.exec(info.text)?.[1] ?? '';
    const decoded = description
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(decoded).toBe(expected);
  });

  it('keeps `&amp;#34;` as the text `&#34;` (one decoding pass)', async () => {
    const res = await putConfig('literal-ref', configXml('<Description>&amp;#34;</Description><Target><Type>HLS</Type></Target>'));
    expect(res.status).toBe(200);
    const info = await f.client.getChannel('literal-ref');
    expect(info.data.Description).toBe('&#34;');
  });

  it('accepts whitespace before <?xml and indentation between elements', async () => {
    const body =
      '\r\n  <?xml version="1.0" encoding="UTF-8"?>\n<LiveChannelConfiguration>\n  <Target>\n    <Type>HLS</Type>\n  </Target>\n</LiveChannelConfiguration>\n';
    expect((await putConfig('indented', body)).status).toBe(200);
  });

  it('still refuses a DTD', async () => {
    const body =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>' +
      configXml('<Description>&e;</Description><Target><Type>HLS</Type></Target>');
    expect(errorOf(await putConfig('dtd', body))).toMatchObject({ status: 400, code: 'MalformedXML' });
  });

  it('refuses a reference to no character', async () => {
    expect(errorOf(await putConfig('nul', configXml('<Description>&#0;</Description><Target><Type>HLS</Type></Target>')))).toMatchObject({
      status: 400,
      code: 'MalformedXML',
    });
  });
});
