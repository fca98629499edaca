// The public test view (src/api/): emu.state and the channel waits, as a user's integration test drives them, through
// the package entry (src/index.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTimeoutError, startPublisher, type Emulator, type ObjectInfo } from '../../src/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { claimLive } from '../helpers/live-channel.js';
import { createChannel, FIXTURE_360P, publishUrl } from '../helpers/live.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('emu.state: buckets and objects', () => {
  it('lists, reads and describes what an SDK wrote, and nothing of a bucket that does not exist', async () => {
    const bucket = uniqueBucket('view');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket, { acl: 'public-read' } as never);
    await client.put('a/1.txt', Buffer.from('one'), { headers: { 'x-oss-meta-who': 'me' } } as never);
    await client.put('a/2.txt', Buffer.from('two!'));
    await client.put('b.txt', Buffer.from(''));

    expect(emu.state.bucket(bucket)).toMatchObject({ name: bucket, acl: 'public-read', storageClass: 'Standard' });
    expect(emu.state.buckets().map((b) => b.name)).toContain(bucket);
    expect(emu.state.bucket(uniqueBucket('none'))).toBeUndefined();

    expect(emu.state.objects(bucket).map((o) => o.key)).toEqual(['a/1.txt', 'a/2.txt', 'b.txt']);
    expect(emu.state.objects(bucket, { prefix: 'a/' }).map((o) => o.size)).toEqual([3, 4]);
    const head = await client.head('a/1.txt');
    const one = emu.state.object(bucket, 'a/1.txt')!;
    expect(one).toMatchObject({ key: 'a/1.txt', size: 3, objectType: 'Normal', headers: { 'x-oss-meta-who': 'me' } });
    expect(one.etag).toBe((head.res.headers as Record<string, string>).etag);
    expect(Object.keys(one)).not.toContain('file'); // no store internals in the view
    expect((await emu.state.readObject(bucket, 'a/2.txt'))?.toString()).toBe('two!');
    expect((await emu.state.readObject(bucket, 'b.txt'))?.length).toBe(0);
    expect(await emu.state.readObject(bucket, 'missing')).toBeUndefined();
    expect(emu.state.object(bucket, 'missing')).toBeUndefined();
  });

  it('hands out copies: changing one changes nothing in the emulator', async () => {
    const bucket = uniqueBucket('copy');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('k', Buffer.from('x'), { headers: { 'x-oss-meta-a': '1' } } as never);
    const info = emu.state.object(bucket, 'k') as ObjectInfo & { headers: Record<string, string> };
    info.headers['x-oss-meta-a'] = 'changed';
    expect(emu.state.object(bucket, 'k')!.headers['x-oss-meta-a']).toBe('1');
  });
});

describe('emu.state and the waits: a live channel', () => {
  it('follows one push: start, segments, Live state, idle, history, segments that are objects', async () => {
    const bucket = uniqueBucket('viewlive');
    await createChannel(emu, bucket, 'cam', { fragDuration: 1 });
    expect(emu.state.channel(bucket, 'cam')).toMatchObject({ state: 'Idle', status: 'enabled', fragDuration: 1, live: undefined });
    const publisher = startPublisher({
      url: publishUrl(emu, bucket, 'cam', { expiresIn: 600 }),
      flv: FIXTURE_360P,
      speed: 1,
      durationMs: 6000,
    });
    const start = await emu.waitForPublishStart(bucket, 'cam', { timeoutMs: 20_000 });
    expect(start).toMatchObject({ type: 'publish-start', bucket, channel: 'cam' });
    const segments = await emu.waitForSegments(bucket, 'cam', { count: 2, timeoutMs: 30_000 });
    expect(segments.map((s) => s.sequence)).toEqual([0, 1]);
    const live = emu.state.channel(bucket, 'cam')!;
    expect(live.state).toBe('Live');
    expect(live.live).toMatchObject({ bucket, channel: 'cam', publishId: start.publishId });
    expect(emu.state.isLive(bucket, 'cam')).toBe(true);
    expect(emu.state.livePublishes().filter((p) => p.bucket === bucket)).toHaveLength(1);

    await publisher.done;
    await emu.waitForIdle(bucket, 'cam', { timeoutMs: 30_000 });
    // Idle means written: the record is closed, the playlist ended, the publish-end event out.
    expect(emu.state.isLive(bucket, 'cam')).toBe(false);
    expect(emu.state.channel(bucket, 'cam')?.state).toBe('Idle');
    const history = emu.state.history(bucket, 'cam');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ publishId: start.publishId, playlistName: 'playlist.m3u8' });
    expect(history[0]!.endMs).toBeGreaterThanOrEqual(history[0]!.startMs);
    expect((await emu.waitForPublishEnd(bucket, 'cam')).reason).toBe('FIN');
    expect((await emu.state.readObject(bucket, 'cam/playlist.m3u8'))!.toString()).toContain('#EXT-X-ENDLIST');

    const recorded = emu.state.segments(bucket, 'cam');
    expect(recorded.slice(0, 2).map((s) => s.key)).toEqual(segments.map((s) => s.key));
    for (const s of recorded) expect(emu.state.object(bucket, s.key)?.contentType).toBe('video/MP2T');
    expect(emu.state.segments(bucket)).toEqual(recorded);
    // Already idle: resolves at once.
    await emu.waitForIdle(bucket, 'cam', { timeoutMs: 1 });
  }, 90_000);

  it('waitForIdle gives up with EventTimeoutError while the channel stays live', async () => {
    const bucket = uniqueBucket('stuck');
    await createChannel(emu, bucket, 'cam');
    const publish = claimLive(emu, bucket, 'cam');
    try {
      expect(emu.state.channels(bucket).map((c) => [c.name, c.state])).toEqual([['cam', 'Live']]);
      await expect(emu.waitForIdle(bucket, 'cam', { timeoutMs: 200 })).rejects.toBeInstanceOf(EventTimeoutError);
    } finally {
      publish.release();
    }
    await emu.waitForIdle(bucket, 'cam', { timeoutMs: 1000 });
  });

  it('keeps internals off the public type', () => {
    // @ts-expect-error the store and the live registry are not part of the Emulator type (src/testing/internal.ts has them)
    expect(emu.services).toBeUndefined();
    // @ts-expect-error the benchmark probe is not a startEmulator option
    void (() => startTestEmulator({ ingest: {} }));
  });
});
