import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv, RtmpPublishError, startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl } from '../helpers/live.js';
import { openSse } from '../helpers/sse.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('awaitable events (startEmulator helpers)', () => {
  it('waits for 3 committed segments of a push, then its clean end, with no polling', async () => {
    const bucket = uniqueBucket('ev');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write', fragDuration: 1 });
    const started = emu.nextEvent({ type: 'publish-start', bucket }, { timeoutMs: 15_000 });
    const publisher = startPublisher({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 0, durationMs: 6000 });
    expect(await started).toMatchObject({ type: 'publish-start', bucket, channel: 'cam', playlistName: 'playlist.m3u8' });

    const segments = await emu.waitFor({ type: 'segment-committed', bucket, channel: 'cam', count: 3 }, { timeoutMs: 20_000 });
    expect(segments.map((s) => ('sequence' in s ? s.sequence : -1))).toEqual([0, 1, 2]);
    for (const s of segments) {
      if (s.type !== 'segment-committed') throw new Error(s.type);
      expect(s.key).toMatch(/^cam\/\d+\.ts$/);
      expect(s.duration).toBeGreaterThan(0);
      // The event comes after the commit: the object is there.
      expect(emu.state.object(bucket, s.key)?.size).toBeGreaterThan(0);
    }
    await publisher.done;
    const [end] = await emu.waitFor({ type: 'publish-end', bucket, channel: 'cam' }, { timeoutMs: 15_000 });
    expect(end).toMatchObject({ reason: 'FIN' });
    // publish-end comes after the final playlist (ENDLIST) is written.
    const playlists = emu.events.recent({ type: 'playlist-updated', bucket });
    expect(playlists.at(-1)).toMatchObject({ ended: true, key: 'cam/playlist.m3u8' });
    expect(playlists.at(-1)!.id).toBeLessThan(end!.id);
  });

  it('reports why a publish was refused and why one ended (RST, disabled)', async () => {
    const bucket = uniqueBucket('evref');
    await createChannel(emu, bucket, 'cam');
    const err = await publishFlv({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 0, durationMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RtmpPublishError);
    const [refused] = await emu.waitFor({ type: 'publish-refused', bucket, channel: 'cam' });
    expect(refused).toMatchObject({ code: 'NetStream.Publish.Unauthorized', reason: expect.stringMatching(/Signature/) });

    const rst = startPublisher({ url: publishUrl(emu, bucket, 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    await rst.started;
    rst.reset();
    expect((await emu.waitFor({ type: 'publish-end', bucket }, { timeoutMs: 15_000 }))[0]).toMatchObject({ reason: 'RST' });

    const since = emu.events.cursor();
    const live = startPublisher({ url: publishUrl(emu, bucket, 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    await live.started;
    await emu.waitFor({ type: 'publish-start', bucket }, { since });
    await ossClient(emu, bucket).putChannelStatus('cam', 'disabled');
    await live.done.catch(() => undefined);
    expect((await emu.waitFor({ type: 'publish-end', bucket }, { since, timeoutMs: 15_000 }))[0]).toMatchObject({ reason: 'disabled' });
  });

  it('emits object-written, object-deleted and request-failed for SDK calls', async () => {
    const bucket = uniqueBucket('evobj');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('a/b.txt', Buffer.from('hey'));
    await client.delete('a/b.txt');
    await client.get('a/b.txt').catch(() => undefined);
    const [w] = await emu.waitFor({ type: 'object-written', bucket });
    expect(w).toMatchObject({ key: 'a/b.txt', size: 3, etag: expect.stringMatching(/^"[0-9A-F]{32}"$/), contentType: expect.any(String) });
    expect((await emu.waitFor({ type: 'object-deleted', bucket }))[0]).toMatchObject({ key: 'a/b.txt' });
    const [failed] = await emu.waitFor({ type: 'request-failed', bucket });
    expect(failed).toMatchObject({
      operation: 'GetObject',
      method: 'GET',
      key: 'a/b.txt',
      status: 404,
      code: 'NoSuchKey',
      injected: false,
    });
  });

  it('iterates events with for await, stopping when the loop breaks', async () => {
    const bucket = uniqueBucket('eviter');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    const keys: string[] = [];
    const loop = (async () => {
      for await (const e of emu.events({ type: 'object-written', bucket })) {
        if (e.type === 'object-written') keys.push(e.key);
        if (keys.length === 2) break;
      }
    })();
    for (const k of ['x', 'y', 'z']) await client.put(k, Buffer.from(k));
    await loop;
    expect(keys).toEqual(['x', 'y']);
  });
});

describe('GET /-/events (Server-Sent Events)', () => {
  it('streams only what the filters ask for, as id + JSON data', async () => {
    const bucket = uniqueBucket('sse');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    const sse = await openSse(`${emu.endpoint}/-/events?type=object-written,object-deleted&bucket=${bucket}`);
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    try {
      await ossClient(emu, uniqueBucket('other'))
        .putBucket(uniqueBucket('other'))
        .catch(() => undefined);
      await client.put('one', Buffer.from('1'));
      await client.get('missing').catch(() => undefined);
      await client.delete('one');
      const [a, b] = await sse.take(2);
      expect(a!.data).toMatchObject({ type: 'object-written', bucket, key: 'one' });
      expect(b!.data).toMatchObject({ type: 'object-deleted', bucket, key: 'one' });
      expect(Number(b!.id)).toBeGreaterThan(Number(a!.id));
    } finally {
      sse.close();
    }
  });

  it('replays retained events after Last-Event-ID (EventSource reconnection)', async () => {
    const bucket = uniqueBucket('sseid');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('k1', Buffer.from('1'));
    const first = emu.events.recent({ type: 'object-written', bucket })[0]!;
    await client.put('k2', Buffer.from('2'));
    const sse = await openSse(`${emu.endpoint}/-/events?type=object-written&bucket=${bucket}`, { 'last-event-id': String(first.id) });
    try {
      expect((await sse.take(1))[0]!.data).toMatchObject({ key: 'k2' });
    } finally {
      sse.close();
    }
  });

  it('refuses an unknown event type with a JSON 400, and serves the retained events as JSON', async () => {
    const res = await fetch(`${emu.endpoint}/-/events?type=segment-comitted`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'InvalidArgument', message: expect.stringContaining('segment-comitted') });
    const recent = (await (await fetch(`${emu.endpoint}/-/events/recent?type=publish-start&limit=1`)).json()) as {
      events: unknown[];
      cursor: number;
    };
    expect(recent.events).toHaveLength(1);
    expect(recent.cursor).toBeGreaterThan(0);
  });

  it('refuses a cross-origin page (the /-/ guard covers the event stream)', async () => {
    const res = await fetch(`${emu.endpoint}/-/events`, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });
});
