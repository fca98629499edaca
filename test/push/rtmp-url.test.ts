import { describe, expect, it } from 'vitest';
import { splitPublishName } from '../../src/live/rtmp/index.js';
import { parseRtmpUrl } from '../../src/push/index.js';

describe('parseRtmpUrl splits like ffmpeg', () => {
  it.each([
    ['rtmp://h:1935/live/test-channel?a=1', 'live', 'test-channel?a=1', 'rtmp://h:1935/live'],
    [
      'rtmp://127.0.0.1:9000/examplebucket/live/test-channel?x=y',
      'examplebucket/live',
      'test-channel?x=y',
      'rtmp://127.0.0.1:9000/examplebucket/live',
    ],
    ['rtmp://h/live/examplebucket/test-channel', 'live/examplebucket', 'test-channel', 'rtmp://h/live/examplebucket'],
    ['rtmp://h/a/b/c/d', 'a/b', 'c/d', 'rtmp://h/a/b'],
    ['rtmp://h/vod/mp4:dir/file', 'vod', 'mp4:dir/file', 'rtmp://h/vod'],
    ['rtmp://h/live/chan?Signature=ab/cd%2B', 'live', 'chan?Signature=ab/cd%2B', 'rtmp://h/live'],
  ])('%s', (url, app, publishName, tcUrl) => {
    expect(parseRtmpUrl(url)).toMatchObject({ app, publishName, tcUrl });
  });

  it('defaults the port to 1935 and understands IPv6 literals', () => {
    expect(parseRtmpUrl('rtmp://example.com/live/x')).toMatchObject({ host: 'example.com', port: 1935 });
    expect(parseRtmpUrl('rtmp://[::1]:1940/live/x')).toMatchObject({ host: '::1', port: 1940, tcUrl: 'rtmp://[::1]:1940/live' });
  });

  it('rejects URLs without a stream name', () => {
    expect(() => parseRtmpUrl('rtmp://h/live')).toThrow(/app>\/<stream/);
    expect(() => parseRtmpUrl('rtmp://h/live/')).toThrow(/no stream/);
    expect(() => parseRtmpUrl('http://h/live/x')).toThrow(/not an rtmp/);
  });
});

describe('splitPublishName', () => {
  it('takes the raw query from the publish name, never decoding it', () => {
    expect(splitPublishName('chan?Signature=a+b%2B%3D&Expires=1', 'live', 'rtmp://h/live')).toEqual({
      streamName: 'chan',
      rawQuery: 'Signature=a+b%2B%3D&Expires=1',
    });
  });

  it('falls back to the query on app, then on tcUrl (OBS users paste it into the Server field)', () => {
    expect(splitPublishName('chan', 'live?x=1', 'rtmp://h/live?x=1')).toEqual({ streamName: 'chan', rawQuery: 'x=1' });
    expect(splitPublishName('chan', 'live', 'rtmp://h/live?y=2')).toEqual({ streamName: 'chan', rawQuery: 'y=2' });
    expect(splitPublishName('chan', 'live', 'rtmp://h/live')).toEqual({ streamName: 'chan', rawQuery: '' });
  });
});
