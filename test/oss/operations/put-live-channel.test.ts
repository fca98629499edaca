import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aliError,
  claimLive,
  configXml,
  errorOf,
  MINIMAL_CONFIG,
  normalised,
  signedRequest,
  startLiveFixture,
  xmlElements,
  type LiveFixture,
} from '../../helpers/live-channel.js';

// The spec's samples (§5.1 response, §5.5 GetLiveChannelInfo), element by element.
const CREATE_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<CreateLiveChannelResult>
  <PublishUrls>
    <Url>rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/test-channel</Url>
  </PublishUrls>
  <PlayUrls>
    <Url>http://test-bucket.oss-cn-hangzhou.aliyuncs.com/test-channel/playlist.m3u8</Url>
  </PlayUrls>
</CreateLiveChannelResult>`;

const INFO_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<LiveChannelConfiguration>
  <Description></Description>
  <Status>enabled</Status>
  <Target>
    <Type>HLS</Type>
    <FragDuration>2</FragDuration>
    <FragCount>3</FragCount>
    <PlaylistName>playlist.m3u8</PlaylistName>
  </Target>
</LiveChannelConfiguration>`;

let f: LiveFixture;
beforeAll(async () => {
  f = await startLiveFixture();
});
afterAll(() => f.emu.close());

const put = (channel: string, body: string | Buffer) =>
  signedRequest(f.emu, { method: 'PUT', bucket: f.bucket, key: channel, query: [['live', '']], body });
const info = (channel: string) => signedRequest(f.emu, { method: 'GET', bucket: f.bucket, key: channel, query: [['live', '']] });

describe('PutLiveChannel with ali-oss', () => {
  it('creates a channel whose info deep-equals the configuration ali-oss sent', async () => {
    const conf = {
      Description: 'this is channel 1',
      Status: 'enabled',
      Target: { Type: 'HLS', FragDuration: '10', FragCount: '5', PlaylistName: 'playlist.m3u8' },
    };
    const created = await f.client.putChannel('channel-1', conf);
    expect(created.res.status).toBe(200);
    const got = await f.client.getChannel('channel-1');
    expect(got.res.status).toBe(200);
    expect(got.data).toStrictEqual(conf);
  });

  it('answers publish and play URLs that point at this emulator (path style for an IP endpoint)', async () => {
    const created = await f.client.putChannel('url-channel', { Target: { Type: 'HLS', PlaylistName: 'index.m3u8' } });
    expect(created.publishUrls).toEqual([`rtmp://${f.hostPort}/${f.bucket}/live/url-channel`]);
    expect(created.playUrls).toEqual([`http://${f.hostPort}/${f.bucket}/url-channel/index.m3u8`]);
  });

  it('answers a play URL that serves the playlist object once it exists', async () => {
    const created = await f.client.putChannel('playable', { Target: { Type: 'HLS' } });
    await f.client.putBucketACL(f.bucket, 'public-read');
    try {
      await f.client.put('playable/playlist.m3u8', Buffer.from('#EXTM3U\n'));
      const res = await fetch(created.playUrls[0]!);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('#EXTM3U\n');
    } finally {
      await f.client.putBucketACL(f.bucket, 'private');
    }
  });

  it('percent-encodes a CJK name with a space in the URLs and stores it under the decoded name', async () => {
    const name = '测试 频道';
    const created = await f.client.putChannel(name, { Target: { Type: 'HLS' } });
    expect(created.publishUrls[0]).toBe(`rtmp://${f.hostPort}/${f.bucket}/live/${encodeURIComponent(name)}`);
    expect(created.playUrls[0]).toBe(`http://${f.hostPort}/${f.bucket}/${encodeURIComponent(name)}/playlist.m3u8`);
    expect((await f.client.getChannel(name)).data.Target).toEqual({
      Type: 'HLS',
      FragDuration: '5',
      FragCount: '3',
      PlaylistName: 'playlist.m3u8',
    });
  });

  it('refuses to overwrite a live channel with 409 ChannelStillLive', async () => {
    await f.client.putChannel('busy', { Target: { Type: 'HLS' } });
    const publish = claimLive(f.emu, f.bucket, 'busy');
    try {
      const err = await aliError(f.client.putChannel('busy', { Description: 'new', Target: { Type: 'HLS' } }));
      expect([err.status, err.code]).toEqual([409, 'ChannelStillLive']);
      expect(err.message).toBe("Live channel couldn't be updated or deleted when channel is live.");
      expect((await f.client.getChannel('busy')).data.Description).toBe('');
    } finally {
      publish.release();
    }
    await f.client.putChannel('busy', { Description: 'new', Target: { Type: 'HLS' } });
    expect((await f.client.getChannel('busy')).data.Description).toBe('new');
  });

  it('answers 404 NoSuchBucket for a bucket that does not exist', async () => {
    const { ossClient } = await import('../../helpers/emulator.js');
    const other = ossClient(f.emu, 'no-such-bucket-here') as unknown as typeof f.client;
    const err = await aliError(other.putChannel('c', { Target: { Type: 'HLS' } }));
    expect([err.status, err.code]).toEqual([404, 'NoSuchBucket']);
  });
});

describe('PutLiveChannel bodies and replies, raw', () => {
  it('matches the spec sample reply element by element, virtual-hosted style', async () => {
    const res = await signedRequest(f.emu, {
      method: 'PUT',
      bucket: f.bucket,
      key: 'test-channel',
      query: [['live', '']],
      body: MINIMAL_CONFIG,
      virtualHost: `localhost:${new URL(f.emu.endpoint).port}`,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    const host = `${f.bucket}.localhost:${new URL(f.emu.endpoint).port}`;
    expect(xmlElements(res.text)).toEqual(xmlElements(CREATE_SAMPLE.replaceAll('test-bucket.oss-cn-hangzhou.aliyuncs.com', host)));
  });

  it('hands out path-style URLs to a path-style request', async () => {
    const res = await put('path-style', MINIMAL_CONFIG);
    expect(xmlElements(res.text)).toEqual([
      'CreateLiveChannelResult/',
      'CreateLiveChannelResult/PublishUrls/',
      `CreateLiveChannelResult/PublishUrls/Url=rtmp://${f.hostPort}/${f.bucket}/live/path-style`,
      'CreateLiveChannelResult/PlayUrls/',
      `CreateLiveChannelResult/PlayUrls/Url=http://${f.hostPort}/${f.bucket}/path-style/playlist.m3u8`,
    ]);
  });

  it('fills in the defaults for a minimal (Go v1) body, in the spec sample order', async () => {
    expect((await put('minimal', MINIMAL_CONFIG)).status).toBe(200);
    const res = await info('minimal');
    expect(res.status).toBe(200);
    expect(xmlElements(res.text)).toEqual(xmlElements(INFO_SAMPLE.replace('<FragDuration>2', '<FragDuration>5')));
  });

  it('accepts the body oss2 sends: single-quoted declaration and an empty <Description />', async () => {
    const body = `<?xml version='1.0' encoding='utf-8'?>\n<LiveChannelConfiguration><Description /><Status>enabled</Status><Target><Type>HLS</Type><FragDuration>5</FragDuration><FragCount>3</FragCount><PlaylistName>test.m3u8</PlaylistName></Target></LiveChannelConfiguration>`;
    expect((await put('from-oss2', body)).status).toBe(200);
    expect(xmlElements((await info('from-oss2')).text)).toContain('LiveChannelConfiguration/Target/PlaylistName=test.m3u8');
  });

  it('overwrites with a full replace: what the new body leaves out returns to its default', async () => {
    await put(
      'overwrite',
      configXml(
        '<Description>first</Description><Status>disabled</Status><Target><Type>HLS</Type><FragDuration>7</FragDuration><FragCount>9</FragCount><PlaylistName>first.m3u8</PlaylistName></Target>',
      ),
    );
    await put('overwrite', MINIMAL_CONFIG);
    expect(xmlElements((await info('overwrite')).text)).toEqual(xmlElements(INFO_SAMPLE.replace('<FragDuration>2', '<FragDuration>5')));
  });

  it('keeps a Snapshot configuration and echoes it after Target, only when configured', async () => {
    const snapshot =
      '<Snapshot><RoleName>role</RoleName><DestBucket>snap-bucket</DestBucket><NotifyTopic>topic</NotifyTopic><Interval>2</Interval></Snapshot>';
    expect((await put('snap', configXml(`<Target><Type>HLS</Type></Target>${snapshot}`))).status).toBe(200);
    const elements = xmlElements((await info('snap')).text);
    expect(elements.slice(-5)).toEqual([
      'LiveChannelConfiguration/Snapshot/',
      'LiveChannelConfiguration/Snapshot/RoleName=role',
      'LiveChannelConfiguration/Snapshot/DestBucket=snap-bucket',
      'LiveChannelConfiguration/Snapshot/NotifyTopic=topic',
      'LiveChannelConfiguration/Snapshot/Interval=2',
    ]);
    expect(xmlElements((await info('minimal')).text).some((e) => e.includes('Snapshot'))).toBe(false);
  });

  it('accepts the boundary values FragDuration 100, FragCount 99 and a 128-byte Description', async () => {
    const body = configXml(
      `<Description>${'d'.repeat(128)}</Description><Target><Type>HLS</Type><FragDuration>100</FragDuration><FragCount>99</FragCount></Target>`,
    );
    expect((await put('bounds', body)).status).toBe(200);
  });

  it('checks a Content-MD5 sent with the body (ali-oss and Java send one)', async () => {
    const md5 = (body: string) => createHash('md5').update(body).digest('base64');
    const send = (contentMd5: string) =>
      signedRequest(f.emu, { method: 'PUT', bucket: f.bucket, key: 'digest', query: [['live', '']], body: MINIMAL_CONFIG, contentMd5 });
    expect(errorOf(await send(md5('something else')))).toMatchObject({ status: 400, code: 'InvalidDigest', ec: '0017-00000503' });
    expect((await info('digest')).status).toBe(404);
    expect((await send(md5(MINIMAL_CONFIG))).status).toBe(200);
  });

  it('refuses an overlong body with EntityTooLarge and keeps serving', async () => {
    const huge = configXml(`<Description>${'x'.repeat(200 * 1024)}</Description><Target><Type>HLS</Type></Target>`);
    const res = await put('huge', huge);
    expect(errorOf(res)).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect((await info('huge')).status).toBe(404);
    expect((await put('after-huge', MINIMAL_CONFIG)).status).toBe(200);
  });
});

describe('PutLiveChannel validation', () => {
  const cases: Array<[string, string, { code: string; ec?: string; message?: RegExp }]> = [
    ['malformed XML', '<LiveChannelConfiguration><Target>', { code: 'MalformedXML' }],
    ['an empty body', '', { code: 'MalformedXML' }],
    [
      'another root element',
      '<CreateBucketConfiguration><Target><Type>HLS</Type></Target></CreateBucketConfiguration>',
      { code: 'MalformedXML' },
    ],
    ['a missing Target', configXml('<Description>x</Description>'), { code: 'MalformedXML' }],
    [
      'Type RTMP',
      configXml('<Target><Type>RTMP</Type></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000013', message: /Target\/Type.*"RTMP"/ },
    ],
    ['Type in other case', configXml('<Target><Type>HLs</Type></Target>'), { code: 'InvalidArgument', ec: '0044-00000013' }],
    [
      'a Target without Type',
      configXml('<Target><FragDuration>5</FragDuration><FragCount>3</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000013' },
    ],
    [
      'FragDuration 200',
      configXml('<Target><Type>HLS</Type><FragDuration>200</FragDuration><FragCount>3</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000014', message: /FragDuration.*"200"/ },
    ],
    [
      'FragDuration abc',
      configXml('<Target><Type>HLS</Type><FragDuration>abc</FragDuration><FragCount>3</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000014' },
    ],
    [
      'FragCount 0',
      configXml('<Target><Type>HLS</Type><FragDuration>5</FragDuration><FragCount>0</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000015', message: /FragCount.*"0"/ },
    ],
    [
      'FragCount 199',
      configXml('<Target><Type>HLS</Type><FragDuration>5</FragDuration><FragCount>199</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000015' },
    ],
    [
      'a lone FragDuration',
      configXml('<Target><Type>HLS</Type><FragDuration>5</FragDuration></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000015', message: /FragCount is required/ },
    ],
    [
      'a lone FragCount',
      configXml('<Target><Type>HLS</Type><FragCount>3</FragCount></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000014', message: /FragDuration is required/ },
    ],
    [
      'a 129-byte Description',
      configXml(`<Description>${'d'.repeat(129)}</Description><Target><Type>HLS</Type></Target>`),
      { code: 'InvalidArgument', ec: '0044-00000001' },
    ],
    [
      'Status Enabled',
      configXml('<Status>Enabled</Status><Target><Type>HLS</Type></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000002', message: /"Enabled"/ },
    ],
    [
      'a PlaylistName with a slash',
      configXml('<Target><Type>HLS</Type><PlaylistName>a/b.m3u8</PlaylistName></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000016' },
    ],
    [
      'a 5-character PlaylistName',
      configXml('<Target><Type>HLS</Type><PlaylistName>.m3u8</PlaylistName></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000017' },
    ],
    [
      'a PlaylistName not ending .m3u8',
      configXml('<Target><Type>HLS</Type><PlaylistName>playlist.txt</PlaylistName></Target>'),
      { code: 'InvalidArgument', ec: '0044-00000018' },
    ],
    [
      'two Snapshots',
      configXml('<Target><Type>HLS</Type></Target><Snapshot><RoleName>r</RoleName></Snapshot><Snapshot><RoleName>r</RoleName></Snapshot>'),
      { code: 'InvalidArgument', ec: '0044-00000003' },
    ],
    [
      'a Snapshot without RoleName',
      configXml(
        '<Target><Type>HLS</Type></Target><Snapshot><DestBucket>b-b</DestBucket><NotifyTopic>t</NotifyTopic><Interval>1</Interval></Snapshot>',
      ),
      { code: 'InvalidArgument', ec: '0044-00000007' },
    ],
  ];
  it.each(cases)('refuses %s', async (_label, body, expected) => {
    const res = await put('validated', body);
    const err = errorOf(res);
    expect(err).toMatchObject({ status: 400, code: expected.code, ec: expected.ec });
    if (expected.message) expect(err.message).toMatch(expected.message);
    expect(res.headers['x-oss-ec']).toBe(expected.ec);
    expect((await info('validated')).status).toBe(404);
  });
});

describe('channel names', () => {
  it('accepts 64 bytes and refuses 65 with the OSS message, even on DELETE', async () => {
    expect((await put('c'.repeat(64), MINIMAL_CONFIG)).status).toBe(200);
    for (const method of ['PUT', 'DELETE']) {
      const res = await signedRequest(f.emu, {
        method,
        bucket: f.bucket,
        key: 'c'.repeat(65),
        query: [['live', '']],
        body: MINIMAL_CONFIG,
      });
      expect(errorOf(res)).toMatchObject({
        status: 400,
        code: 'InvalidChannelName',
        message: 'The Length of channel name must be less than 64.',
      });
    }
  });

  it('counts bytes, not characters: 22 three-byte characters are 66 bytes', async () => {
    const err = errorOf(await put('频'.repeat(22), MINIMAL_CONFIG));
    expect(err).toMatchObject({ code: 'InvalidChannelName', message: 'The Length of channel name must be less than 64.' });
  });

  it('refuses a backslash and a slash', async () => {
    for (const name of ['a\\b', 'a/b']) {
      expect(errorOf(await put(name, MINIMAL_CONFIG))).toMatchObject({
        status: 400,
        code: 'InvalidChannelName',
        message: 'ChannelName must not contain a slash.',
      });
    }
  });

  it('leaves the bucket stat counting the channels', async () => {
    const res = await signedRequest(f.emu, { method: 'GET', bucket: f.bucket, query: [['stat', '']] });
    const count = Number(/<LiveChannelCount>(\d+)<\/LiveChannelCount>/.exec(res.text)?.[1]);
    expect(count).toBe(f.emu.state.channels(f.bucket).length);
    expect(count).toBeGreaterThan(5);
  });
});

describe('GetLiveChannelInfo', () => {
  it('answers 404 NoSuchLiveChannel for an unknown channel', async () => {
    const err = await aliError(f.client.getChannel('never-created'));
    expect([err.status, err.code, err.message]).toEqual([404, 'NoSuchLiveChannel', 'The specified live channel does not exist.']);
  });

  it('sends no attributes on the root (ali-oss would see a `$` key)', async () => {
    const res = await info('minimal');
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<LiveChannelConfiguration><Description><\/Description>/);
    expect(normalised(xmlElements(res.text), ['PlaylistName'])).toContain('LiveChannelConfiguration/Target/PlaylistName=<PlaylistName>');
  });
});
