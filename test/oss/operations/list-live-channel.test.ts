import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aliError,
  errorOf,
  MINIMAL_CONFIG,
  normalised,
  signedRequest,
  startLiveFixture,
  xmlElements,
  type LiveFixture,
} from '../../helpers/live-channel.js';

// The spec's ListLiveChannel sample (§5.2), closing tag added as the spec says.
const LIST_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<ListLiveChannelResult>
  <Prefix></Prefix>
  <Marker></Marker>
  <MaxKeys>1</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextMarker>channel-0</NextMarker>
  <LiveChannel>
    <Name>channel-0</Name>
    <Description></Description>
    <Status>disabled</Status>
    <LastModified>2016-07-30T01:54:21.000Z</LastModified>
    <PublishUrls>
      <Url>rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/channel-0</Url>
    </PublishUrls>
    <PlayUrls>
      <Url>http://test-bucket.oss-cn-hangzhou.aliyuncs.com/channel-0/playlist.m3u8</Url>
    </PlayUrls>
  </LiveChannel>
</ListLiveChannelResult>`;

let f: LiveFixture;
beforeAll(async () => {
  f = await startLiveFixture();
  for (let i = 0; i < 10; i++) await f.client.putChannel(`channel-list-${i}`, { Target: { Type: 'HLS' } });
  await f.client.putChannel('channel-0', { Status: 'disabled', Target: { Type: 'HLS' } });
  await f.client.putChannel('other', { Description: 'not in the prefix', Target: { Type: 'HLS', PlaylistName: 'other.m3u8' } });
});
afterAll(() => f.emu.close());

const list = (query: Array<[string, string]>) => signedRequest(f.emu, { method: 'GET', bucket: f.bucket, query: [['live', ''], ...query] });

describe('ListLiveChannel', () => {
  it('pages with prefix, a strictly-after marker and max-keys, as ali-oss tests it', async () => {
    const page = await f.client.listChannels({ prefix: 'channel-list-', marker: 'channel-list-4', 'max-keys': 3 });
    expect(page.res.status).toBe(200);
    expect(page.channels.map((c) => c.Name)).toEqual(['channel-list-5', 'channel-list-6', 'channel-list-7']);
    expect(page.isTruncated).toBe(true);
    expect(page.nextMarker).toBe('channel-list-7');
    const last = await f.client.listChannels({ prefix: 'channel-list-', marker: page.nextMarker!, 'max-keys': 3 });
    expect(last.channels.map((c) => c.Name)).toEqual(['channel-list-8', 'channel-list-9']);
    expect([last.isTruncated, last.nextMarker]).toEqual([false, null]);
  });

  it('matches the spec sample element by element', async () => {
    const res = await list([['max-keys', '1']]);
    expect(res.status).toBe(200);
    const base = `${f.hostPort}/${f.bucket}`;
    const expected = LIST_SAMPLE.replace('rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com', `rtmp://${base}`).replace(
      'http://test-bucket.oss-cn-hangzhou.aliyuncs.com',
      `http://${base}`,
    );
    expect(normalised(xmlElements(res.text), ['LastModified'])).toEqual(normalised(xmlElements(expected), ['LastModified']));
    expect(res.text).toMatch(/<LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z<\/LastModified>/);
  });

  it('always sends Prefix, Marker, MaxKeys and IsTruncated, and no NextMarker on the last page', async () => {
    const elements = xmlElements(
      (
        await list([
          ['prefix', 'other'],
          ['marker', ''],
          ['max-keys', ''],
        ])
      ).text,
    );
    expect(elements.slice(0, 5)).toEqual([
      'ListLiveChannelResult/',
      'ListLiveChannelResult/Prefix=other',
      'ListLiveChannelResult/Marker=',
      'ListLiveChannelResult/MaxKeys=100',
      'ListLiveChannelResult/IsTruncated=false',
    ]);
    expect(elements.some((e) => e.includes('NextMarker'))).toBe(false);
    expect(elements).toContain('ListLiveChannelResult/LiveChannel/Description=not in the prefix');
    expect(elements).toContain(`ListLiveChannelResult/LiveChannel/PlayUrls/Url=http://${f.hostPort}/${f.bucket}/other/other.m3u8`);
  });

  it('lists every channel in byte order by default, with the configuration status', async () => {
    const page = await f.client.listChannels({});
    expect(page.channels.map((c) => c.Name)).toEqual(['channel-0', ...Array.from({ length: 10 }, (_, i) => `channel-list-${i}`), 'other']);
    expect(page.channels[0]).toMatchObject({ Status: 'disabled', PublishUrls: [`rtmp://${f.hostPort}/${f.bucket}/live/channel-0`] });
  });

  it('orders by UTF-8 bytes: upper case before lower case before non-ASCII', async () => {
    for (const name of ['é-order', 'a-order', 'B-order']) {
      await signedRequest(f.emu, { method: 'PUT', bucket: f.bucket, key: name, query: [['live', '']], body: MINIMAL_CONFIG });
    }
    const names = (await f.client.listChannels({})).channels.map((c) => c.Name).filter((n) => n.endsWith('-order'));
    expect(names).toEqual(['B-order', 'a-order', 'é-order']);
  });

  it.each(['0', '1001', 'abc', '-1', '1.5'])('refuses max-keys=%s with InvalidArgument EC 0044-00000101', async (value) => {
    const err = errorOf(await list([['max-keys', value]]));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0044-00000101' });
    expect(err.message).toContain(JSON.stringify(value));
  });

  it('accepts max-keys=1000 and echoes it', async () => {
    expect(xmlElements((await list([['max-keys', '1000']])).text)).toContain('ListLiveChannelResult/MaxKeys=1000');
  });

  it('refuses a prefix over 1024 bytes with InvalidArgument EC 0044-00000102', async () => {
    expect(errorOf(await list([['prefix', 'p'.repeat(1025)]]))).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
      ec: '0044-00000102',
    });
    expect((await list([['prefix', 'p'.repeat(1024)]])).status).toBe(200);
  });

  it('answers 404 NoSuchBucket for a missing bucket', async () => {
    const { ossClient } = await import('../../helpers/emulator.js');
    const other = ossClient(f.emu, 'missing-bucket-list') as unknown as typeof f.client;
    expect(await aliError(other.listChannels({}))).toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });
});
