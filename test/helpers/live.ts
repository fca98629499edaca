import { signRtmpUrl } from '../../src/auth/rtmp-signature.js';
import type { Emulator } from '../../src/emulator.js';
import { ossClient } from './emulator.js';

export { FIXTURE_360P, FIXTURE_720P } from './fixtures.js';

export interface ChannelOptions {
  fragDuration?: number;
  fragCount?: number;
  playlistName?: string;
  acl?: 'private' | 'public-read' | 'public-read-write';
}

/** Creates the bucket (if needed) and a LiveChannel through ali-oss, as a user would. */
export async function createChannel(emu: Emulator, bucket: string, channel: string, options: ChannelOptions = {}): Promise<void> {
  const client = ossClient(emu, bucket);
  if (!emu.state.bucket(bucket)) await client.putBucket(bucket, { acl: options.acl ?? 'private' } as never);
  await client.putChannel(channel, {
    Description: 'test channel',
    Status: 'enabled',
    Target: {
      Type: 'HLS',
      FragDuration: options.fragDuration ?? 2,
      FragCount: options.fragCount ?? 3,
      PlaylistName: options.playlistName ?? 'playlist.m3u8',
    },
  } as never);
}

export interface PublishUrlOptions {
  /** Which listener: the dedicated RTMP port or the HTTP port (sniffed). */
  port?: 'rtmp' | 'http';
  /** Seconds until Expires; negative for an expired URL; undefined = unsigned. */
  expiresIn?: number;
  secret?: string;
  params?: ReadonlyArray<readonly [string, string]>;
}

/** `rtmp://127.0.0.1:<port>/<bucket>/live/<channel>[?signed]`, the path-style shape oss2 builds for an IP endpoint. */
export function publishUrl(emu: Emulator, bucket: string, channel: string, options: PublishUrlOptions = {}): string {
  const port = options.port === 'http' ? emu.httpPort : emu.rtmpPort;
  const base = `rtmp://127.0.0.1:${port}/${bucket}/live/${encodeURIComponent(channel)}`;
  if (options.expiresIn === undefined) {
    const params = options.params ?? [];
    return params.length ? `${base}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : base;
  }
  return signRtmpUrl({
    accessKeyId: emu.accessKeyId,
    accessKeySecret: options.secret ?? emu.accessKeySecret,
    bucket,
    channel,
    expires: Math.floor(Date.now() / 1000) + options.expiresIn,
    params: options.params,
    base,
  });
}

/** Polls until check() returns a value (not undefined), or fails after timeoutMs. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
