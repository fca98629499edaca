import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, FIXTURE_720P, createChannel, publishUrl, waitFor } from '../helpers/live.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator({ rtmpIdleTimeoutMs: 800 });
});
afterAll(() => emu.close());

const history = (bucket: string, channel: string) => emu.state.history(bucket, channel, 10);

describe('live sessions: stat and history', () => {
  it('reports Live with connected time, remote address and codec facts parsed from the stream', async () => {
    const b = uniqueBucket('stat');
    await createChannel(emu, b, 'cam');
    const client = ossClient(emu, b);
    const before = Date.now();
    const pub = startPublisher({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: FIXTURE_720P, speed: 1, loop: true });
    await pub.started;
    await new Promise((r) => setTimeout(r, 2500));
    const stat = (await client.getChannelStatus('cam')) as unknown as { data: Record<string, unknown> };
    expect(stat.data.Status).toBe('Live');
    expect(String(stat.data.ConnectedTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(Date.parse(String(stat.data.ConnectedTime))).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(String(stat.data.RemoteAddr)).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(stat.data.Video).toMatchObject({ Width: '1280', Height: '720', FrameRate: '25', Codec: 'H264' });
    expect(Number((stat.data.Video as Record<string, string>).Bandwidth)).toBeGreaterThan(100_000); // ~2.5 Mbps fixture, in B/s
    expect(stat.data.Audio).toMatchObject({ SampleRate: '48000', Codec: 'AAC' });
    expect(Number((stat.data.Audio as Record<string, string>).Bandwidth)).toBeGreaterThan(1000);
    await pub.stop();
    await waitFor(() => (history(b, 'cam').length === 1 ? true : undefined));
    const idle = (await client.getChannelStatus('cam')) as unknown as { data: Record<string, unknown> };
    expect(idle.data).toEqual({ Status: 'Idle' });
  });

  it('closes the history record after a clean stop, a TCP reset and a silent publisher', async () => {
    const b = uniqueBucket('hist');
    await createChannel(emu, b, 'cam');
    const url = publishUrl(emu, b, 'cam', { expiresIn: 600 });

    const clean = startPublisher({ url, flv: FIXTURE_360P, speed: 1, loop: true });
    await clean.started;
    await new Promise((r) => setTimeout(r, 300));
    await clean.stop();
    await waitFor(() => (history(b, 'cam').length === 1 ? true : undefined), 5000, 'clean record');

    const abrupt = startPublisher({ url, flv: FIXTURE_360P, speed: 1, loop: true });
    await abrupt.started;
    await new Promise((r) => setTimeout(r, 300));
    abrupt.reset();
    await waitFor(() => (history(b, 'cam').length === 2 ? true : undefined), 5000, 'reset record');

    const silent = startPublisher({ url, flv: FIXTURE_360P, speed: 1, loop: true });
    silent.done.catch(() => undefined);
    await silent.started;
    await new Promise((r) => setTimeout(r, 300));
    silent.stall();
    // rtmpIdleTimeoutMs is 800 here: the emulator gives up on a publisher that sends nothing.
    await waitFor(() => (history(b, 'cam').length === 3 ? true : undefined), 5000, 'timed-out record');

    const records = history(b, 'cam');
    for (const r of records) {
      expect(r.endMs).toBeGreaterThanOrEqual(r.startMs);
      expect(r.remoteAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    const listed = (await ossClient(emu, b).getChannelHistory('cam')) as unknown as { records: Array<Record<string, string>> };
    expect(listed.records).toHaveLength(3);
    expect(emu.state.isLive(b, 'cam')).toBe(false);
  });

  it('disconnects a live publisher soon after its channel is disabled', async () => {
    const b = uniqueBucket('disable');
    await createChannel(emu, b, 'cam');
    const pub = startPublisher({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    const ended = pub.done.then(
      () => 'ended',
      () => 'dropped',
    );
    await pub.started;
    const client = ossClient(emu, b);
    await expect(client.deleteChannel('cam')).rejects.toMatchObject({ status: 409, code: 'ChannelStillLive' });
    const disabledAt = Date.now();
    await client.putChannelStatus('cam', 'disabled');
    await ended;
    expect(Date.now() - disabledAt).toBeLessThan(1000);
    await emu.waitForIdle(b, 'cam');
    const stat = (await client.getChannelStatus('cam')) as unknown as { data: Record<string, unknown> };
    expect(stat.data).toEqual({ Status: 'Disabled' });
    expect(history(b, 'cam')).toHaveLength(1);
  });
});
