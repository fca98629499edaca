// Feedback where people look: the pusher hears why it is refused, the log says why an SDK call failed, an SDK on the
// RTMP port is told where HTTP is, and an OBS Server field holding the whole URL is explained.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { decidePublish } from '../../src/live/publish-policy.js';
import { encodeFlvHeader, encodeFlvTag } from '../../src/media/flv.js';
import { publishFlv, RtmpPublishError } from '../../src/push/index.js';
import { Credentials } from '../../src/auth/credentials.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl, waitFor } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

const lines: Array<Record<string, unknown>> = [];
let emu: Emulator;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  emu = await startTestEmulator({ logger: pino({ level: 'info' }, sink) });
});
afterAll(() => emu.close());

/** An FLV whose video is HEVC in enhanced RTMP (what OBS >= 29 sends when set to HEVC). */
function hevcFlv(): Buffer {
  const exHeader = (packetType: number, key: boolean) =>
    Buffer.concat([Buffer.from([0x80 | ((key ? 1 : 2) << 4) | packetType]), Buffer.from('hvc1', 'latin1'), Buffer.alloc(16, 1)]);
  const tags = [encodeFlvTag({ type: 'video', timestamp: 0, data: exHeader(0, true) })];
  for (let i = 0; i < 50; i++) tags.push(encodeFlvTag({ type: 'video', timestamp: i * 40, data: exHeader(1, i % 25 === 0) }));
  return Buffer.concat([encodeFlvHeader({ hasAudio: false, hasVideo: true }), ...tags]);
}

describe('feedback', () => {
  it('tells an HEVC pusher, as an onStatus error before closing, that only H.264 + AAC is kept', async () => {
    const b = uniqueBucket('hevc');
    await createChannel(emu, b, 'cam');
    const err = await publishFlv({ url: publishUrl(emu, b, 'cam', { expiresIn: 600 }), flv: hevcFlv(), speed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmpPublishError);
    expect((err as RtmpPublishError).code).toBe('NetStream.Publish.Rejected');
    expect((err as RtmpPublishError).description).toMatch(/Enhanced RTMP hvc1 is not supported: only H\.264 \+ AAC, as OSS LiveChannel/);
    const ended = await waitFor(() => lines.find((l) => l.msg === 'publish ended' && l.bucket === b), 5000, 'publish ended line');
    expect(ended).toMatchObject({ bucket: b, channel: 'cam' });
  }, 30_000);

  it('logs every refused OSS request in one line with operation, code and message; success stays quiet', async () => {
    const b = uniqueBucket('log');
    const client = ossClient(emu, b);
    await client.putBucket(b);
    await client.put('there.txt', Buffer.from('x'));
    await client.get('missing.txt').catch(() => undefined);
    const line = await waitFor(() => lines.find((l) => l.operation === 'GetObject' && l.bucket === b), 5000, 'error line');
    expect(line).toMatchObject({ level: 30, status: 404, code: 'NoSuchKey', key: 'missing.txt' });
    expect(String(line.msg)).toBe('GetObject 404 NoSuchKey: The specified key does not exist.');
    expect(lines.filter((l) => l.bucket === b && l.operation === 'PutObject')).toEqual([]);
  });

  it('answers an HTTP request on the RTMP port with where the HTTP API is', async () => {
    const res = await fetch(`http://127.0.0.1:${emu.rtmpPort}/`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`the OSS HTTP API is at ${emu.endpoint}`);
  });

  it('explains an OBS Server field holding the whole URL with an empty Stream Key', () => {
    const verdict = decidePublish(
      {
        connectionId: 'x',
        app: 'demo-bucket/live/cam?OSSAccessKeyId=k&Expires=1&Signature=s',
        tcUrl: 'rtmp://127.0.0.1:1935/demo-bucket/live/cam?OSSAccessKeyId=k&Expires=1&Signature=s',
        streamName: '',
        rawQuery: '',
        remoteAddress: '127.0.0.1',
        remotePort: 1,
        connection: { id: 'x', kick: () => undefined },
      } as never,
      internalsOf(emu).services,
      new Credentials(emu.config.credentials),
    );
    expect(verdict).toEqual({
      accept: false,
      code: 'NetStream.Publish.BadName',
      description:
        'The Stream Key is empty and the Server holds the whole URL. Split it at the last "/": ' +
        'Server rtmp://127.0.0.1:1935/demo-bucket/live, Stream Key cam?OSSAccessKeyId=…&Expires=…&Signature=….',
    });
  });

  it('lists a keyframe-interval warning in /-/channels while the publish runs', async () => {
    const b = uniqueBucket('gop');
    await createChannel(emu, b, 'cam', { fragDuration: 1 }); // the fixture's keyframes are 2 s apart
    const url = publishUrl(emu, b, 'cam', { expiresIn: 600 });
    const done = publishFlv({ url, flv: FIXTURE_360P, speed: 2, durationMs: 6000 });
    const warnings = await waitFor(
      async () => {
        const { channels } = (await (await fetch(`${emu.endpoint}/-/channels`)).json()) as {
          channels: Array<{ bucket: string; live: { warnings: string[] } | null }>;
        };
        const w = channels.find((c) => c.bucket === b)?.live?.warnings;
        return w?.length ? w : undefined;
      },
      10_000,
      'warning',
    );
    expect(warnings).toEqual([expect.stringMatching(/^keyframe interval 2\.0 s is longer than FragDuration 1 s/)]);
    await done;
    expect(lines.filter((l) => l.bucket === b && String(l.msg).startsWith('keyframe interval'))).toHaveLength(1);
  }, 30_000);
});
