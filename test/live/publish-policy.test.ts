import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { RtmpPublishError, publishFlv, startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl, waitFor } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

let emu: Emulator;
let bucket: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  bucket = uniqueBucket('policy');
  await createChannel(emu, bucket, 'cam');
});
afterAll(() => emu.close());

/** Nothing a refused publish could have left: no history record, no object under the channel. */
function expectNothingRecorded(b: string, channel: string): void {
  expect(emu.state.history(b, channel, 10)).toEqual([]);
  expect(
    internalsOf(emu)
      .services.store.openPublishes()
      .filter((p) => p.bucket === b && p.channel === channel),
  ).toEqual([]);
  expect(emu.state.objects(b, { prefix: `${channel}/` })).toEqual([]);
}

async function refusal(url: string): Promise<RtmpPublishError> {
  const err = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 1000 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RtmpPublishError);
  return err as RtmpPublishError;
}

describe('who may publish', () => {
  it('accepts the URL ali-oss getRtmpUrl signs, on the HTTP port as the SDK builds it', async () => {
    const b = uniqueBucket('alioss');
    await createChannel(emu, b, 'sdk-signed');
    const url = ossClient(emu, b).getRtmpUrl('sdk-signed', { expires: 600, params: { playlistName: 'sdk.m3u8' } });
    // ali-oss puts the HTTP endpoint's host:port in the URL and no bucket: rtmp://127.0.0.1:<http>/live/<channel>?…
    expect(url).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${emu.httpPort}/live/sdk-signed\\?OSSAccessKeyId=`));
    const result = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 3000 });
    expect(result.tagsSent).toBeGreaterThan(100);
    const records = await waitFor(() => {
      const r = emu.state.history(b, 'sdk-signed', 10);
      return r.length ? r : undefined;
    });
    expect(records[0]!.playlistName).toBe('sdk.m3u8');
  });

  it('accepts a signed path-style URL on the dedicated RTMP port', async () => {
    const result = await publishFlv({
      url: publishUrl(emu, bucket, 'cam', { expiresIn: 600 }),
      flv: FIXTURE_360P,
      speed: 0,
      durationMs: 2000,
    });
    expect(result.tagsSent).toBeGreaterThan(50);
  });

  it('refuses a wrong signature, with nothing recorded', async () => {
    const b = uniqueBucket('wrongsig');
    await createChannel(emu, b, 'c1');
    const err = await refusal(publishUrl(emu, b, 'c1', { expiresIn: 600, secret: 'wrong-secret' }));
    expect(err.description).toMatch(/signature/i);
    expectNothingRecorded(b, 'c1');
  });

  it('refuses a URL whose Expires is in the past', async () => {
    const b = uniqueBucket('expired');
    await createChannel(emu, b, 'c1');
    const err = await refusal(publishUrl(emu, b, 'c1', { expiresIn: -5 }));
    expect(err.description).toBe('Request has expired.');
    expectNothingRecorded(b, 'c1');
  });

  it('refuses an unsigned URL on a private bucket and accepts it on a public-read-write one', async () => {
    const b = uniqueBucket('private');
    await createChannel(emu, b, 'c1');
    const err = await refusal(publishUrl(emu, b, 'c1'));
    expect(err.description).toMatch(/requires the Signature, Expires and OSSAccessKeyId/);
    expectNothingRecorded(b, 'c1');

    const open = uniqueBucket('prw');
    await createChannel(emu, open, 'c1', { acl: 'public-read-write' });
    const ok = await publishFlv({ url: publishUrl(emu, open, 'c1'), flv: FIXTURE_360P, speed: 0, durationMs: 1000 });
    expect(ok.tagsSent).toBeGreaterThan(20);
  });

  it('accepts a push to a channel whose PlaylistName PutLiveChannel accepted: 100 emoji + .m3u8 (one playlist-name rule)', async () => {
    // 105 characters (code points), 205 UTF-16 units: PutLiveChannel's rule counts characters, so the push must too.
    const playlistName = `${'\u{1F3A5}'.repeat(100)}.m3u8`;
    const b = uniqueBucket('emoji');
    await createChannel(emu, b, 'c1', { playlistName });
    const result = await publishFlv({ url: publishUrl(emu, b, 'c1', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 0, durationMs: 3000 });
    expect(result.tagsSent).toBeGreaterThan(50);
    const records = await waitFor(() => {
      const r = emu.state.history(b, 'c1', 10);
      return r.length ? r : undefined;
    });
    expect(records[0]!.playlistName).toBe(playlistName);
    // …and a push URL's own playlistName of 129 characters is refused, as PutLiveChannel would refuse it.
    const tooLong = `${'\u{1F3A5}'.repeat(124)}.m3u8`;
    const err = await refusal(publishUrl(emu, b, 'c1', { expiresIn: 600, params: [['playlistName', tooLong]] }));
    expect(err.description).toMatch(/6-128 characters/);
  });

  it('refuses a disabled channel and an unknown one', async () => {
    const b = uniqueBucket('disabled');
    await createChannel(emu, b, 'off');
    await ossClient(emu, b).putChannelStatus('off', 'disabled');
    const disabled = await refusal(publishUrl(emu, b, 'off', { expiresIn: 600 }));
    expect(disabled.description).toBe('Live channel is disabled by owner.');
    expectNothingRecorded(b, 'off');
    const unknown = await refusal(publishUrl(emu, b, 'nobody', { expiresIn: 600 }));
    expect(unknown.description).toMatch(/live channel does not exist/);
  });

  it('refuses a second publisher while the first keeps streaming', async () => {
    const b = uniqueBucket('second');
    await createChannel(emu, b, 'solo');
    const first = startPublisher({ url: publishUrl(emu, b, 'solo', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    await first.started;
    const err = await refusal(publishUrl(emu, b, 'solo', { expiresIn: 600, port: 'http' }));
    expect(err.description).toMatch(/already being published/);
    const before = first.stats().tagsSent;
    await new Promise((r) => setTimeout(r, 400));
    expect(first.stats().tagsSent).toBeGreaterThan(before);
    expect(emu.state.isLive(b, 'solo')).toBe(true);
    await first.stop();
    await emu.waitForIdle(b, 'solo');
    expect(emu.state.history(b, 'solo', 10)).toHaveLength(1);
  });

  it('keeps a signature with + / = intact through percent-encoding', async () => {
    // Find an Expires whose signature holds a '+' or '/', so the encoding matters.
    let url = '';
    for (let i = 600; i < 700 && !/%2B|%2F/.test(url); i++) url = publishUrl(emu, bucket, 'cam', { expiresIn: i });
    expect(url).toMatch(/%2B|%2F/);
    const ok = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 500 });
    expect(ok.tagsSent).toBeGreaterThan(5);
  });
});

describe('the URL shapes SDKs and OBS produce', () => {
  it('accepts virtual-hosted rtmp://<bucket>.localhost/live/<channel> (bucket from the tcUrl host)', async () => {
    const b = uniqueBucket('vhost');
    await createChannel(emu, b, 'cam');
    const signed = publishUrl(emu, b, 'cam', { expiresIn: 600 });
    const url = signed.replace(`rtmp://127.0.0.1:${emu.rtmpPort}/${b}/live/`, `rtmp://${b}.localhost:${emu.rtmpPort}/live/`);
    expect(url).toMatch(new RegExp(`^rtmp://${b}\\.localhost:\\d+/live/cam\\?`));
    const ok = await publishFlv({
      url,
      flv: FIXTURE_360P,
      speed: 0,
      durationMs: 500,
      connectTo: { host: '127.0.0.1', port: emu.rtmpPort },
    });
    expect(ok.tagsSent).toBeGreaterThan(5);
    await waitFor(() => (emu.state.history(b, 'cam', 10).length === 1 ? true : undefined));
  });

  it('accepts the C++ SDK shape rtmp://ip:port/live/<bucket>/<channel>', async () => {
    const b = uniqueBucket('cpp');
    await createChannel(emu, b, 'cam');
    const url = publishUrl(emu, b, 'cam', { expiresIn: 600 }).replace(`/${b}/live/`, `/live/${b}/`);
    const ok = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 500 });
    expect(ok.tagsSent).toBeGreaterThan(5);
  });

  it('uses --default-bucket for rtmp://ip:port/live/<channel> when the channel name is not unique', async () => {
    const withDefault = await startTestEmulator({ defaultBucket: 'home-bucket' });
    try {
      await createChannel(withDefault, 'home-bucket', 'shared');
      await createChannel(withDefault, 'other-bucket', 'shared');
      const url = publishUrl(withDefault, 'home-bucket', 'shared', { expiresIn: 600 }).replace('/home-bucket/live/', '/live/');
      await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 500 });
      await waitFor(() => (withDefault.state.history('home-bucket', 'shared', 10).length === 1 ? true : undefined));
      expect(withDefault.state.history('other-bucket', 'shared', 10)).toEqual([]);
    } finally {
      await withDefault.close();
    }
  });

  it('lets a push outlive its Expires: the signature is checked only at connect', async () => {
    const b = uniqueBucket('outlive');
    await createChannel(emu, b, 'cam');
    const pub = startPublisher({ url: publishUrl(emu, b, 'cam', { expiresIn: 2 }), flv: FIXTURE_360P, speed: 1, loop: true });
    await pub.started;
    await new Promise((r) => setTimeout(r, 3100)); // past Expires
    const before = pub.stats().tagsSent;
    await new Promise((r) => setTimeout(r, 300));
    expect(pub.stats().tagsSent).toBeGreaterThan(before);
    expect(emu.state.isLive(b, 'cam')).toBe(true);
    await pub.stop();
  });
});
