import { Parser } from 'm3u8-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliError, errorOf, md5Etag, seedPublish, signedRequest, startLiveFixture, type LiveFixture } from '../../helpers/live-channel.js';

let f: LiveFixture;
/** Whole seconds, an hour ago: the channel's first publish starts here. */
const base = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const baseSec = base / 1000;
const publishA = [
  { startMs: base, durationMs: 5000 },
  { startMs: base + 5000, durationMs: 5000 },
  { startMs: base + 10_000, durationMs: 4200 },
];
const publishB = [
  { startMs: base + 60_000, durationMs: 13_320 },
  { startMs: base + 73_320, durationMs: 6000 },
];

beforeAll(async () => {
  f = await startLiveFixture();
  await f.client.putChannel('vod-ch', { Target: { Type: 'HLS' } });
  await f.client.putChannel('other-ch', { Target: { Type: 'HLS' } });
  await f.client.putChannel('empty-ch', { Target: { Type: 'HLS' } });
  seedPublish(f.emu, f.bucket, 'vod-ch', { startMs: base, endMs: base + 15_000 }, publishA);
  seedPublish(f.emu, f.bucket, 'vod-ch', { startMs: base + 60_000, endMs: base + 80_000 }, publishB);
  seedPublish(f.emu, f.bucket, 'other-ch', { startMs: base, endMs: base + 7000 }, [
    { startMs: base + 1000, durationMs: 3000 },
    { startMs: base + 4750, durationMs: 2000 },
  ]);
});
afterAll(() => f.emu.close());

const parse = (text: string) => {
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return parser.manifest;
};

const getVod = (channel: string, query: Array<[string, string]>) =>
  signedRequest(f.emu, { method: 'GET', bucket: f.bucket, key: channel, query: [['vod', ''], ...query] });

const span = (startSec: number, endSec: number): Array<[string, string]> => [
  ['startTime', String(startSec)],
  ['endTime', String(endSec)],
];

describe('PostVodPlaylist', () => {
  it('writes a VOD playlist of both publishes, fetchable with GetObject and readable by m3u8-parser', async () => {
    const posted = await f.client.createVod('vod-ch', 'vod.m3u8', { startTime: baseSec, endTime: baseSec + 100 });
    expect(posted.res.status).toBe(200);
    const object = await f.client.get('vod-ch/vod.m3u8');
    expect(object.res.headers['content-type']).toBe('application/x-mpegURL');
    expect(posted.res.headers.etag).toBe(object.res.headers.etag);
    expect(object.res.headers.etag).toBe(md5Etag(object.content));
    const text = object.content.toString('utf8');
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:3',
        '#EXT-X-MEDIA-SEQUENCE:0',
        '#EXT-X-TARGETDURATION:13',
        '#EXTINF:5.000,',
        `${base}.ts`,
        '#EXTINF:5.000,',
        `${base + 5000}.ts`,
        '#EXTINF:4.200,',
        `${base + 10_000}.ts`,
        '#EXT-X-DISCONTINUITY', // the second publish starts here
        '#EXTINF:13.320,',
        `${base + 60_000}.ts`,
        '#EXTINF:6.000,',
        `${base + 73_320}.ts`,
        '#EXT-X-ENDLIST',
        '',
      ].join('\n'),
    );
    const manifest = parse(text);
    expect(manifest.endList).toBe(true);
    expect(manifest.targetDuration).toBe(13);
    expect(manifest.segments.map((s) => s.duration)).toEqual([5, 5, 4.2, 13.32, 6]);
    // Each URI is relative to the playlist's folder: resolved there, it is a ts object of the channel.
    for (const segment of manifest.segments) {
      const key = new URL(segment.uri, 'http://h/vod-ch/vod.m3u8').pathname.slice(1);
      expect((await f.client.get(key)).content.toString()).toBe(`ts bytes of ${key}`);
    }
  });

  it('answers 200 with an empty body and the ETag, for a playlist path oss2 and Go send as %2F', async () => {
    const res = await signedRequest(f.emu, {
      method: 'POST',
      bucket: f.bucket,
      key: 'vod-ch/encoded.m3u8',
      rawKey: 'vod-ch%2Fencoded.m3u8',
      query: [['vod', ''], ...span(baseSec + 60, baseSec + 90)],
    });
    expect([res.status, res.text, res.headers['content-length']]).toEqual([200, '', '0']);
    const object = await f.client.get('vod-ch/encoded.m3u8');
    expect(res.headers.etag).toBe(object.res.headers.etag);
    expect(parse(object.content.toString()).segments.map((s) => s.uri)).toEqual([`${base + 60_000}.ts`, `${base + 73_320}.ts`]);
  });

  it('refuses a span without segments with InvalidArgument EC 0044-00000308', async () => {
    const err = await aliError(f.client.createVod('vod-ch', 'none.m3u8', { startTime: baseSec + 20, endTime: baseSec + 59 }));
    expect(err).toMatchObject({
      status: 400,
      code: 'InvalidArgument',
      ecCode: '0044-00000308',
      message: 'No ts file found in specified time span.',
    });
    expect(await aliError(f.client.get('vod-ch/none.m3u8'))).toMatchObject({ status: 404 });
  });

  it('refuses a playlist name not ending .m3u8', async () => {
    const err = await aliError(f.client.createVod('vod-ch', 'vod.txt', { startTime: baseSec, endTime: baseSec + 100 }));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument', message: 'Playlist name must ends with ".m3u8".' });
  });

  it('answers 404 NoSuchLiveChannel for a deleted channel whose recordings are in the span', async () => {
    await f.client.putChannel('gone-ch', { Target: { Type: 'HLS' } });
    seedPublish(f.emu, f.bucket, 'gone-ch', { startMs: base, endMs: base + 6000 }, [{ startMs: base, durationMs: 5000 }]);
    await f.client.deleteChannel('gone-ch');
    const err = await aliError(f.client.createVod('gone-ch', 'vod.m3u8', { startTime: baseSec, endTime: baseSec + 100 }));
    expect(err).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });

  it('answers 400 EC 0044-00000308 for an unknown channel: the span is checked first, as OSS does', async () => {
    const err = await aliError(f.client.createVod('no-such-ch', 'vod.m3u8', { startTime: baseSec, endTime: baseSec + 100 }));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0044-00000308' });
  });
});

describe('GetVodPlaylist', () => {
  it('answers the same m3u8 as PostVodPlaylist writes, with its MD5 as ETag, and stores nothing', async () => {
    await f.client.createVod('vod-ch', 'same.m3u8', { startTime: baseSec, endTime: baseSec + 100 });
    const stored = (await f.client.get('vod-ch/same.m3u8')).content.toString();
    const objectsBefore = f.emu.state.objects(f.bucket).length;
    const res = await getVod('vod-ch', span(baseSec, baseSec + 100));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-mpegURL');
    expect(res.text).toBe(stored);
    expect(res.headers.etag).toBe(md5Etag(res.text));
    expect(f.emu.state.objects(f.bucket).length).toBe(objectsBefore);
  });

  it('takes only the segments that start in the span, inclusive at both ends, and only of that channel', async () => {
    const res = await getVod('vod-ch', span(baseSec + 5, baseSec + 10));
    expect(parse(res.text).segments.map((s) => s.uri)).toEqual([`${base + 5000}.ts`, `${base + 10_000}.ts`]);
    const other = await getVod('other-ch', span(baseSec, baseSec + 100));
    expect(parse(other.text).segments.map((s) => s.uri)).toEqual([`${base + 1000}.ts`, `${base + 4750}.ts`]);
  });

  it('counts a segment starting within the endTime second as inside the span (one-second resolution)', async () => {
    const res = await getVod('other-ch', span(baseSec + 2, baseSec + 4));
    expect(parse(res.text).segments.map((s) => s.uri)).toEqual([`${base + 4750}.ts`]);
  });

  it('refuses a channel without segments with InvalidArgument EC 0044-00000308', async () => {
    const err = errorOf(await getVod('empty-ch', span(baseSec, baseSec + 100)));
    expect(err).toEqual({ status: 400, code: 'InvalidArgument', message: 'No ts file found in specified time span.', ec: '0044-00000308' });
  });

  it('allows a span of exactly one day', async () => {
    expect((await getVod('vod-ch', span(baseSec + 100 - 86_400, baseSec + 100))).status).toBe(200);
  });

  const badStarts: Array<[string, Array<[string, string]>]> = [
    ['a missing startTime', [['endTime', String(baseSec + 100)]]],
    [
      'a non-integer startTime',
      [
        ['startTime', 'abc'],
        ['endTime', String(baseSec + 100)],
      ],
    ],
    [
      'a fractional startTime',
      [
        ['startTime', `${baseSec}.5`],
        ['endTime', String(baseSec + 100)],
      ],
    ],
    [
      'startTime 0',
      [
        ['startTime', '0'],
        ['endTime', '100'],
      ],
    ],
  ];
  it.each(badStarts)('refuses %s with InvalidArgument EC 0044-00000304', async (_label, query) => {
    expect(errorOf(await getVod('vod-ch', query))).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0044-00000304' });
  });

  const badEnds: Array<[string, Array<[string, string]>, RegExp]> = [
    ['a missing endTime', [['startTime', String(baseSec)]], /endTime must be an integer/],
    [
      'a non-integer endTime',
      [
        ['startTime', String(baseSec)],
        ['endTime', 'soon'],
      ],
      /endTime must be an integer/,
    ],
    ['an empty span holding a segment start', span(baseSec, baseSec), /must be greater than the startTime/],
    ['a span over one day', span(baseSec, baseSec + 86_401), /must not exceed 86400 seconds/],
  ];
  it.each(badEnds)('refuses %s with InvalidArgument', async (_label, query, message) => {
    const err = errorOf(await getVod('vod-ch', query));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(err.message).toMatch(message);
  });

  it('answers "no ts file" (EC 0044-00000308) before judging the span: startTime == endTime as ali-oss posts it, or inverted', async () => {
    for (const [start, end] of [
      [baseSec + 40, baseSec + 40],
      [baseSec + 100, baseSec],
    ]) {
      const err = await aliError(f.client.createVod('vod-ch', 'now.m3u8', { startTime: start, endTime: end }));
      expect(err).toMatchObject({ status: 400, code: 'InvalidArgument', ecCode: '0044-00000308' });
      expect(errorOf(await getVod('vod-ch', span(start!, end!)))).toMatchObject({
        status: 400,
        code: 'InvalidArgument',
        ec: '0044-00000308',
      });
    }
  });

  it('refuses bad spans on PostVodPlaylist too, writing nothing', async () => {
    const err = await aliError(f.client.createVod('vod-ch', 'long.m3u8', { startTime: baseSec, endTime: baseSec + 86_401 }));
    expect(err).toMatchObject({ status: 400, code: 'InvalidArgument' });
    expect(await aliError(f.client.get('vod-ch/long.m3u8'))).toMatchObject({ status: 404 });
  });

  it('answers 404 NoSuchLiveChannel for an unknown channel', async () => {
    expect(errorOf(await getVod('no-such-ch', span(baseSec, baseSec + 100)))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });
});
