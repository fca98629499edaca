import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv, RtmpPublishError, startPublisher } from '../../src/push/index.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl, waitFor } from '../helpers/live.js';

// Everything here would need minutes or hours of real time; the emulator clock makes it take seconds.

const T0 = Date.parse('2030-01-01T00:00:00Z');

const refusal = async (url: string): Promise<RtmpPublishError> => {
  const err = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 500 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RtmpPublishError);
  return err as RtmpPublishError;
};

const idle = (emu: Emulator, bucket: string, channel: string) => emu.waitForIdle(bucket, channel, { timeoutMs: 15_000 });

describe('on a real-time clock moved by the test', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('refuses a signed RTMP URL once the clock passes its Expires, without waiting for it', async () => {
    const bucket = uniqueBucket('rtmpexp');
    await createChannel(emu, bucket, 'cam');
    const url = publishUrl(emu, bucket, 'cam', { expiresIn: 60 });

    emu.clock.advance('61s');
    const err = await refusal(url);
    expect(err.code).toBe('NetStream.Publish.Unauthorized');
    expect(err.description).toBe('Request has expired.');

    emu.clock.real();
    const ok = await publishFlv({ url, flv: FIXTURE_360P, speed: 0, durationMs: 500 });
    expect(ok.tagsSent).toBeGreaterThan(5);
  });

  it('expires a presigned GET when the clock is advanced past it, while header-signed SDK calls keep working', async () => {
    const bucket = uniqueBucket('presign');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('report.txt', Buffer.from('hello'));
    const url = presignedUrl(emu, bucket, 'report.txt', { expires: 60 });
    expect((await fetch(url)).status).toBe(200);

    emu.clock.advance('2m');
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    const body = await expired.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired.');
    // The SDK's Date header carries its own (unmoved) clock: the skew window is on the clients' time.
    expect((await client.get('report.txt')).content.toString()).toBe('hello');
    emu.clock.real();
    expect((await fetch(url)).status).toBe(200);
  });

  it('answers RequestTimeTooSkewed to a Date 16 minutes off the clients time, with that time as ServerTime', async () => {
    emu.clock.advance('3h');
    const date = new Date(Date.now() - 16 * 60_000).toUTCString();
    const res = await fetch(`${emu.endpoint}/`, { headers: { date, authorization: `OSS ${emu.accessKeyId}:AAAA` } });
    const body = await res.text();
    emu.clock.real();
    expect(res.status).toBe(403);
    expect(body).toContain('<Code>RequestTimeTooSkewed</Code>');
    const serverTime = Date.parse(/<ServerTime>([^<]+)<\/ServerTime>/.exec(body)![1]!);
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(60_000);
  });
});

describe('on a frozen clock', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTestEmulator({ clock: 'frozen:2030-01-01T00:00:00Z' });
  });
  afterAll(() => emu.close());

  it('reports the frozen time and moves only when told', async () => {
    expect(emu.clock.state()).toMatchObject({ mode: 'frozen', nowMs: T0, frozen: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(emu.clock.now()).toBe(T0);
    emu.clock.advance('PT1H');
    expect(emu.clock.now()).toBe(T0 + 3_600_000);
    emu.clock.set(T0);
  });

  it('keeps the 10 newest of 11 publishes in the history, with their times on the emulator clock', async () => {
    const bucket = uniqueBucket('history');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write' });
    emu.clock.set(T0);
    for (let i = 0; i < 11; i++) {
      emu.clock.set(T0 + i * 60_000);
      await publishFlv({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 0, durationMs: 300 });
      await idle(emu, bucket, 'cam');
    }
    const records = (await ossClient(emu, bucket).getChannelHistory('cam')).records as unknown as Array<{
      StartTime: string;
      EndTime: string;
    }>;
    const starts = records.map((r) => r.StartTime).sort();
    expect(starts).toEqual(Array.from({ length: 10 }, (_, i) => new Date(T0 + (i + 1) * 60_000).toISOString()));
    for (const r of records) expect(r.EndTime).toBe(r.StartTime);
  });

  it('names segments and answers stat and VOD on the emulator clock, following a jump made mid-push', async () => {
    const bucket = uniqueBucket('mediatime');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write', fragDuration: 2 });
    const start = T0 + 86_400_000;
    emu.clock.set(start);
    const segments = () => emu.state.segments(bucket, 'cam');

    const publisher = startPublisher({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 2, durationMs: 9000 });
    await publisher.started;
    await waitFor(() => (segments().length >= 1 ? true : undefined), 15_000, 'a first segment');
    const stat = (await ossClient(emu, bucket).getChannelStatus('cam')) as unknown as { data: { ConnectedTime?: string } };
    expect(stat.data.ConnectedTime).toBe(new Date(start).toISOString());

    emu.clock.advance('1h');
    await publisher.done;
    await idle(emu, bucket, 'cam');

    const all = segments();
    expect(all[0]!.startMs).toBe(start);
    expect(all[0]!.key).toBe(`cam/${start}.ts`);
    const late = all.filter((s) => s.startMs >= start + 3_600_000);
    expect(late.length).toBeGreaterThanOrEqual(1);
    // Media continuity inside each side of the jump: consecutive names are one segment duration apart.
    for (let i = 1; i < all.length; i++) {
      const gap = all[i]!.startMs - (all[i - 1]!.startMs + all[i - 1]!.durationMs);
      expect([0, 3_600_000]).toContain(Math.abs(gap) < 50 ? 0 : gap);
    }

    // "The last hour" on the moved clock holds what was pushed after the jump.
    const client = ossClient(emu, bucket);
    const now = Math.floor(emu.clock.now() / 1000);
    await client.createVod('cam', 'last-hour.m3u8', { startTime: now - 3600, endTime: now + 60 });
    const vod = (await client.get('cam/last-hour.m3u8')).content.toString();
    for (const s of late) expect(vod).toContain(s.key.slice('cam/'.length));
  });
});
