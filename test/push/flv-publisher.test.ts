import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtmpHooks, RtmpServer } from '../../src/live/rtmp/index.js';
import type { MediaPacket } from '../../src/media/flv-demux.js';
import { publishFlv, startPublisher } from '../../src/push/index.js';
import { FIXTURE_360P, FIXTURE_720P, fileMedia, mediaDigest, recordingHooks, startServer, waitFor } from '../helpers/rtmp-server.js';

const opened: RtmpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('our publisher -> our RTMP server', () => {
  it('delivers every audio/video tag of the file with identical bodies and timestamps, then ends closed once', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const result = await publishFlv({ url: `rtmp://127.0.0.1:${port}/mybucket/live/chan?x=1`, flv: FIXTURE_360P, speed: 0 });

    const rec = publishes[0]!;
    await rec.ended;
    const expected = fileMedia(FIXTURE_360P);
    expect(rec.packets.length).toBe(expected.length);
    expect(rec.packets.filter((p) => p.type === 'video').length).toBe(expected.filter((p) => p.type === 'video').length);
    expect(rec.packets.map((p) => p.timestamp)).toEqual(expected.map((p) => p.timestamp));
    expect(mediaDigest(rec.packets)).toBe(mediaDigest(expected));
    expect(rec.ends).toEqual(['closed']);
    expect(result.tagsSent).toBe(expected.length + 1); // + onMetaData
    expect(result.bytesSent).toBeGreaterThan(FIXTURE_360P.length * 0.9);
    expect(publishes).toHaveLength(1);
  });

  it('tells onTagSent about every tag: stream time, keyframes, and lateness against real-time pacing', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const sent: Array<{ type: string; streamMs: number; keyframe: boolean; lateMs: number }> = [];
    const result = await publishFlv({
      url: `rtmp://127.0.0.1:${port}/live/chan`,
      flv: FIXTURE_360P,
      speed: 0,
      onTagSent: (tag) => sent.push(tag),
    });
    await publishes[0]!.ended;
    const keyframes = fileMedia(FIXTURE_360P).filter((p) => p.type === 'video' && p.data[0] === 0x17 && p.data[1] === 1);
    expect(sent).toHaveLength(result.tagsSent);
    expect(sent.filter((t) => t.keyframe)).toHaveLength(keyframes.length);
    expect(sent.filter((t) => t.keyframe).map((t) => t.streamMs)).toEqual(keyframes.map((k) => k.timestamp - keyframes[0]!.timestamp));
    expect(sent.every((t) => t.lateMs === 0)).toBe(true); // speed 0 is not paced
  });

  it('hands each packet as a view of memory the parser reuses (no allocation per message): bytes copied during the call are exact', async () => {
    const views: Buffer[] = [];
    const copies: MediaPacket[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const hooks: RtmpHooks = {
      publish: () => ({
        accept: true,
        sink: {
          packet: (p) => {
            views.push(p.data);
            copies.push({ ...p, data: Buffer.from(p.data) });
          },
          end: () => ended(),
        },
      }),
    };
    const { port } = await startServer(hooks, opened);
    await publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_720P, speed: 0, durationMs: 2000 });
    await done;
    const expected = fileMedia(FIXTURE_720P).slice(0, copies.length);
    expect(copies.length).toBeGreaterThan(100);
    expect(mediaDigest(copies)).toBe(mediaDigest(expected));
    // One buffer per chunk stream (audio, video), grown a few times: not one per message.
    expect(new Set(views.map((v) => v.buffer)).size).toBeLessThan(20);
  });

  it('ends the sink with closed once after a clean stop() mid-stream', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P, speed: 4 });
    await publisher.started;
    await waitFor(() => (publishes[0]?.packets.length ?? 0) > 20, 5000, 'some packets');
    const result = await publisher.stop();
    expect(await publishes[0]!.ended).toBe('closed');
    await new Promise((r) => setTimeout(r, 50));
    expect(publishes[0]!.ends).toEqual(['closed']);
    expect(result.tagsSent).toBeLessThan(fileMedia(FIXTURE_360P).length);
  });

  it('ends the sink with reset after the publisher resets the TCP connection', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P, speed: 4 });
    await publisher.started;
    await waitFor(() => (publishes[0]?.packets.length ?? 0) > 20, 5000, 'some packets');
    publisher.reset();
    expect(await publishes[0]!.ended).toBe('reset');
    await publisher.done;
    expect(publishes[0]!.ends).toEqual(['reset']);
  });

  it('ends the sink with timeout when the publisher stalls longer than idleTimeoutMs', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened, { idleTimeoutMs: 300 });
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P, speed: 1 });
    await publisher.started;
    await waitFor(() => (publishes[0]?.packets.length ?? 0) > 5, 5000, 'some packets');
    const stalledAt = Date.now();
    publisher.stall();
    expect(await publishes[0]!.ended).toBe('timeout');
    // The idle clock starts at the last bytes the server read, which may precede stall() by a frame or two (and a
    // loaded machine delays the read): the end comes well after the stall, not at once, but not necessarily 300 ms on.
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(150);
    await publisher.done; // the server closed the stalled socket
    expect(publishes[0]!.ends).toEqual(['timeout']);
  });

  it('kicks live publishers on server close(): sink ends kicked, the publisher learns the connection is gone', async () => {
    const { hooks, publishes } = recordingHooks();
    const { server, port } = await startServer(hooks, opened);
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P, speed: 1 });
    await publisher.started;
    await waitFor(() => (publishes[0]?.packets.length ?? 0) > 0, 5000, 'a packet');
    await server.close();
    expect(publishes[0]!.ends).toEqual(['kicked']);
    await expect(publisher.done).rejects.toMatchObject({ name: 'RtmpPublishError', code: 'NetConnection.Closed' });
  });

  it('gives up with a Timeout error when the server never completes the handshake', async () => {
    const silent = net.createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    const t = Date.now();
    await expect(publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P, setupTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'Timeout',
    });
    expect(Date.now() - t).toBeLessThan(2000);
    silent.close();
  });

  it('paces by wall clock: 1.5 s of stream takes about 1.5 s at speed 1 and about 0.5 s at speed 3', async () => {
    const { hooks } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const url = `rtmp://127.0.0.1:${port}/live/chan`;
    let t = Date.now();
    await publishFlv({ url, flv: FIXTURE_360P, speed: 1, durationMs: 1500 });
    const realTime = Date.now() - t;
    t = Date.now();
    await publishFlv({ url, flv: FIXTURE_360P, speed: 3, durationMs: 1500 });
    const triple = Date.now() - t;
    expect(realTime).toBeGreaterThanOrEqual(1350);
    expect(realTime).toBeLessThan(2500);
    expect(triple).toBeGreaterThanOrEqual(400);
    expect(triple).toBeLessThan(1200);
  });

  it('loops with continuing timestamps and sends the decoder configuration only once', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    await publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_720P, speed: 0, loop: true, durationMs: 14_000 });
    const video = publishes[0]!.packets.filter((p) => p.type === 'video');
    const sequenceHeaders = video.filter((p) => p.data[1] === 0);
    const timestamps = video.map((p) => p.timestamp);
    expect(sequenceHeaders).toHaveLength(1);
    expect(Math.max(...timestamps)).toBeGreaterThan(13_000);
    expect(Math.max(...timestamps)).toBeLessThan(14_000);
    expect(timestamps.every((ts, i) => i === 0 || ts >= timestamps[i - 1]!)).toBe(true);
    expect(video.filter((p) => p.data[1] === 2)).toEqual([]); // no AVC end-of-sequence mid-stream
  });
});
