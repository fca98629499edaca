import { describe, expect, it } from 'vitest';
import { channelUrls, urlBaseOf } from '../../../src/oss/live-channel/channel-urls.js';

const request = (publicHost: string, pathStyle: boolean, configured?: string, urlStyle: 'playable' | 'oss' = 'playable') => ({
  publicHost: configured ?? publicHost,
  pathStyle,
  services: { config: { publicHost: configured, urlStyle } },
});

const urls = (ctx: ReturnType<typeof request>, bucket = 'bkt', channel = 'ch', playlist = 'playlist.m3u8') =>
  channelUrls(urlBaseOf(ctx, bucket), bucket, channel, playlist);

describe('channel URLs', () => {
  it('keeps the bucket in the path for a path-style request', () => {
    expect(urls(request('localhost:8080', true))).toEqual({
      publishUrl: 'rtmp://localhost:8080/bkt/live/ch',
      playUrl: 'http://localhost:8080/bkt/ch/playlist.m3u8',
    });
  });

  it('reuses a virtual-hosted Host as it is, without a second bucket label', () => {
    expect(urls(request('bkt.localhost:8080', false))).toEqual({
      publishUrl: 'rtmp://bkt.localhost:8080/live/ch',
      playUrl: 'http://bkt.localhost:8080/ch/playlist.m3u8',
    });
  });

  it('puts the bucket label in front of a configured public host, even one that starts like the bucket', () => {
    expect(urls(request('ignored', false, 'bkt.example.test:9000')).publishUrl).toBe('rtmp://bkt.bkt.example.test:9000/live/ch');
    expect(urls(request('ignored', false, 'oss.example.test')).playUrl).toBe('http://bkt.oss.example.test/ch/playlist.m3u8');
  });

  it('falls back to path style for IP hosts, v4 and v6, whatever the request style', () => {
    expect(urls(request('127.0.0.1:8080', false)).publishUrl).toBe('rtmp://127.0.0.1:8080/bkt/live/ch');
    expect(urls(request('[::1]:8080', false)).playUrl).toBe('http://[::1]:8080/bkt/ch/playlist.m3u8');
  });

  it('percent-encodes channel and playlist like object keys', () => {
    expect(urls(request('h:1', true), 'bkt', '直播 #1', 'a+b.m3u8')).toEqual({
      publishUrl: 'rtmp://h:1/bkt/live/%E7%9B%B4%E6%92%AD%20%231',
      playUrl: 'http://h:1/bkt/%E7%9B%B4%E6%92%AD%20%231/a%2Bb.m3u8',
    });
  });

  it("writes OSS's own form with urlStyle 'oss': <bucket>.<host> even for an IP endpoint", () => {
    expect(urls(request('127.0.0.1:8080', true, undefined, 'oss'))).toEqual({
      publishUrl: 'rtmp://bkt.127.0.0.1:8080/live/ch',
      playUrl: 'http://bkt.127.0.0.1:8080/ch/playlist.m3u8',
    });
    expect(urls(request('bkt.localhost:8080', false, undefined, 'oss'))).toEqual({
      publishUrl: 'rtmp://bkt.localhost:8080/live/ch',
      playUrl: 'http://bkt.localhost:8080/ch/playlist.m3u8',
    });
  });
});
