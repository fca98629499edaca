import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/shared/clock.js';
import {
  aliError,
  claimLive,
  errorOf,
  seedPublish,
  signedRequest,
  startLiveFixture,
  type LiveFixture,
} from '../../helpers/live-channel.js';

const GRACE_MS = 150;
const clock = new ManualClock(Date.now());
let f: LiveFixture;
beforeAll(async () => {
  f = await startLiveFixture({ clock, disableGraceMs: GRACE_MS });
});
afterAll(() => f.emu.close());

const create = (name: string) => f.client.putChannel(name, { Target: { Type: 'HLS' } });
const lastModified = async (name: string) =>
  (await f.client.listChannels({ prefix: name })).channels.find((c) => c.Name === name)!.LastModified;

describe('DeleteLiveChannel', () => {
  it('answers 204 with no body, after which the channel is gone (404 NoSuchLiveChannel)', async () => {
    await create('to-delete');
    const deleted = await signedRequest(f.emu, { method: 'DELETE', bucket: f.bucket, key: 'to-delete', query: [['live', '']] });
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    expect(await aliError(f.client.getChannel('to-delete'))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
    expect(await aliError(f.client.getChannelStatus('to-delete'))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });

  it('passes ali-oss, which accepts only 204', async () => {
    await create('ali-delete');
    expect((await f.client.deleteChannel('ali-delete')).res.status).toBe(204);
  });

  it('answers 404 NoSuchLiveChannel for a channel that does not exist', async () => {
    expect(await aliError(f.client.deleteChannel('never-was'))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });

  it('refuses a live channel with 409 ChannelStillLive and keeps it', async () => {
    await create('live-delete');
    const publish = claimLive(f.emu, f.bucket, 'live-delete');
    try {
      expect(await aliError(f.client.deleteChannel('live-delete'))).toMatchObject({ status: 409, code: 'ChannelStillLive' });
      expect((await f.client.getChannel('live-delete')).res.status).toBe(200);
    } finally {
      publish.release();
    }
    expect((await f.client.deleteChannel('live-delete')).res.status).toBe(204);
  });

  it('leaves the generated objects, and a channel re-created under the name sees its history and segments', async () => {
    await create('keeps');
    const start = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const [tsKey] = seedPublish(f.emu, f.bucket, 'keeps', { startMs: start, endMs: start + 10_000 }, [
      { startMs: start, durationMs: 5000 },
    ]);
    await f.client.put('keeps/playlist.m3u8', Buffer.from('#EXTM3U\n'));
    await f.client.deleteChannel('keeps');
    expect((await f.client.head(tsKey!)).res.status).toBe(200);
    expect((await f.client.head('keeps/playlist.m3u8')).res.status).toBe(200);
    await create('keeps');
    expect((await f.client.getChannelHistory('keeps')).records).toHaveLength(1);
    const startSec = start / 1000;
    expect((await f.client.createVod('keeps', 'vod.m3u8', { startTime: startSec, endTime: startSec + 60 })).res.status).toBe(200);
  });
});

describe('PutLiveChannelStatus', () => {
  it('disables and enables: info, list and stat follow, LastModified moves', async () => {
    await create('toggle');
    const before = await lastModified('toggle');
    clock.advance(61_000);
    expect((await f.client.putChannelStatus('toggle', 'disabled')).res.status).toBe(200);
    expect((await f.client.getChannel('toggle')).data.Status).toBe('disabled');
    expect((await f.client.getChannelStatus('toggle')).data.Status).toBe('Disabled');
    const after = await lastModified('toggle');
    expect(Date.parse(after) - Date.parse(before)).toBe(61_000);
    await f.client.putChannelStatus('toggle', 'enabled');
    expect((await f.client.getChannelStatus('toggle')).data.Status).toBe('Idle');
  });

  it('answers 200 with an empty body, also when setting the current value again', async () => {
    await create('repeat');
    for (let i = 0; i < 2; i++) {
      const res = await signedRequest(f.emu, {
        method: 'PUT',
        bucket: f.bucket,
        key: 'repeat',
        query: [
          ['live', ''],
          ['status', 'enabled'],
        ],
      });
      expect([res.status, res.text, res.headers['content-length']]).toEqual([200, '', '0']);
    }
  });

  it.each(['Idle', 'Enabled', 'random', ''])('refuses status=%s with InvalidArgument EC 0044-00000002', async (value) => {
    await create('bad-status');
    const res = await signedRequest(f.emu, {
      method: 'PUT',
      bucket: f.bucket,
      key: 'bad-status',
      query: [
        ['live', ''],
        ['status', value],
      ],
    });
    expect(errorOf(res)).toMatchObject({ status: 400, code: 'InvalidArgument', ec: '0044-00000002' });
    expect((await f.client.getChannel('bad-status')).data.Status).toBe('enabled');
  });

  it('answers 404 NoSuchLiveChannel for an unknown channel', async () => {
    expect(await aliError(f.client.putChannelStatus('unknown-status', 'disabled'))).toMatchObject({
      status: 404,
      code: 'NoSuchLiveChannel',
    });
  });

  it('kicks a live publisher once the grace period is over, and not before', async () => {
    await create('kick-me');
    const publish = claimLive(f.emu, f.bucket, 'kick-me');
    try {
      await f.client.putChannelStatus('kick-me', 'disabled');
      expect(publish.kicks).toEqual([]);
      expect((await f.client.getChannelStatus('kick-me')).data.Status).toBe('Disabled');
      await vi.waitFor(() => expect(publish.kicks).toEqual(['channel disabled']), { timeout: 2000, interval: 20 });
    } finally {
      publish.release();
    }
  });

  it('does not kick when the channel is enabled again within the grace period', async () => {
    await create('changed-mind');
    const publish = claimLive(f.emu, f.bucket, 'changed-mind');
    try {
      await f.client.putChannelStatus('changed-mind', 'disabled');
      await f.client.putChannelStatus('changed-mind', 'enabled');
      await new Promise((r) => setTimeout(r, GRACE_MS * 3));
      expect(publish.kicks).toEqual([]);
      expect((await f.client.getChannelStatus('changed-mind')).data.Status).toBe('Live');
    } finally {
      publish.release();
    }
  });

  it('lets an emulator close during the grace period without the pending kick failing', async () => {
    const other = await startLiveFixture({ disableGraceMs: 50 });
    await other.client.putChannel('closing', { Target: { Type: 'HLS' } });
    const publish = claimLive(other.emu, other.bucket, 'closing');
    await other.client.putChannelStatus('closing', 'disabled');
    await other.emu.close();
    // An exception in the timer would surface as an unhandled error of this test file.
    await new Promise((r) => setTimeout(r, 150));
    expect(publish.kicks).toEqual([]);
  });
});
