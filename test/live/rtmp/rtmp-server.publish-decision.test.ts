import { afterEach, describe, expect, it } from 'vitest';
import type { RtmpServer } from '../../../src/live/rtmp/index.js';
import { publishFlv, RtmpPublishError, startPublisher } from '../../../src/push/index.js';
import { FIXTURE_360P, fileMedia, openRawSession, recordingHooks, startServer, waitFor } from '../../helpers/rtmp-server.js';

const opened: RtmpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

const unauthorized = {
  code: 'NetStream.Publish.Unauthorized',
  description: 'The request signature we calculated does not match the signature you provided.',
};

describe('the publish decision', () => {
  it('refuses before Publish.Start: the publisher rejects with code and description, no sink ever sees a packet', async () => {
    const { hooks, requests, publishes } = recordingHooks(() => unauthorized);
    const { port, log } = await startServer(hooks, opened);
    const attempt = publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan?Signature=x`, flv: FIXTURE_360P, speed: 0 });
    await expect(attempt).rejects.toBeInstanceOf(RtmpPublishError);
    await expect(attempt).rejects.toMatchObject(unauthorized);
    expect(requests).toHaveLength(1);
    expect(publishes).toHaveLength(0);
    const refusals = log.lines.filter((l) => l.msg.includes('refused'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.msg).toContain(unauthorized.description);
  });

  it('waits for an async hook: a refusal after a timer still rejects, an acceptance after a timer still streams', async () => {
    const { hooks, publishes } = recordingHooks(async (req) => {
      await new Promise((r) => setTimeout(r, 150));
      return req.streamName === 'denied' ? unauthorized : undefined;
    });
    const { port } = await startServer(hooks, opened);
    await expect(publishFlv({ url: `rtmp://127.0.0.1:${port}/live/denied`, flv: FIXTURE_360P })).rejects.toMatchObject(unauthorized);
    const result = await publishFlv({ url: `rtmp://127.0.0.1:${port}/live/ok`, flv: FIXTURE_360P, speed: 0, durationMs: 2000 });
    expect(publishes).toHaveLength(1);
    expect(publishes[0]!.req.streamName).toBe('ok');
    expect(publishes[0]!.packets.length).toBe(result.tagsSent - 1);
  });

  it('holds media sent before the answer and delivers it, in order, once accepted', async () => {
    const { hooks, publishes } = recordingHooks(() => new Promise((r) => setTimeout(() => r(undefined), 200)));
    const { port } = await startServer(hooks, opened);
    const { client, streamId, statuses } = await openRawSession(port);
    client.command(streamId, 'publish', null, 'eager', 'live');
    const early = fileMedia(FIXTURE_360P).slice(0, 10);
    for (const p of early) client.sendTag(p.type === 'audio' ? 8 : 9, streamId, p.timestamp, p.data);
    await waitFor(() => statuses.some((s) => s.code === 'NetStream.Publish.Start'), 3000, 'Publish.Start');
    await waitFor(() => (publishes[0]?.packets.length ?? 0) === 10, 3000, 'held packets');
    expect(publishes[0]!.packets.map((p) => p.data)).toEqual(early.map((p) => p.data));
    await client.end();
    expect(await publishes[0]!.ended).toBe('closed');
  });

  it('turns a throwing hook into a refusal with a generic description', async () => {
    const { port } = await startServer({ publish: () => Promise.reject(new Error('db is locked')) }, opened);
    await expect(publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P })).rejects.toMatchObject({
      code: 'NetStream.Publish.Failed',
      description: 'Internal error',
    });
  });

  it('still ends an accepted sink exactly once when the client left while the hook was deciding', async () => {
    let clientGone!: () => void;
    const gone = new Promise<void>((r) => (clientGone = r));
    const { hooks, requests, publishes } = recordingHooks(async () => {
      await gone;
      return undefined;
    });
    const { port } = await startServer(hooks, opened);
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P });
    await waitFor(() => requests.length === 1, 3000, 'the hook to be asked');
    publisher.reset();
    await publisher.done;
    await new Promise((r) => setTimeout(r, 50));
    clientGone();
    await waitFor(() => publishes.length === 1 && publishes[0]!.ends.length === 1, 3000, 'end()');
    await new Promise((r) => setTimeout(r, 50));
    expect(publishes[0]!.ends).toHaveLength(1);
    expect(['reset', 'closed']).toContain(publishes[0]!.ends[0]);
    expect(publishes[0]!.packets).toHaveLength(0);
  });

  it('lets the accepting side kick the publisher through req.connection', async () => {
    const { hooks, connections, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const publisher = startPublisher({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv: FIXTURE_360P });
    await publisher.started;
    connections[0]!.kick('channel disabled');
    expect(publishes[0]!.ends).toEqual(['kicked']);
    await expect(publisher.done).rejects.toMatchObject({ code: 'NetConnection.Closed' });
    expect(publishes[0]!.ends).toEqual(['kicked']);
  });

  it('acknowledges received bytes per the window the client announced, else per the 5,000,000 we announced', async () => {
    const { hooks } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const media = fileMedia(FIXTURE_360P);
    const pushBytes = async (announce: number | undefined, minBytes: number) => {
      const { client, streamId, statuses } = await openRawSession(port);
      if (announce !== undefined) client.announceWindowAckSize(announce);
      client.command(streamId, 'publish', null, `ack${announce}`, 'live');
      await waitFor(() => statuses.some((s) => s.code === 'NetStream.Publish.Start'), 3000, 'Publish.Start');
      for (let round = 0; client.bytesSent < minBytes; round++) {
        for (const p of media) {
          if (!client.sendTag(p.type === 'audio' ? 8 : 9, streamId, p.timestamp + round * 21_000, p.data)) await client.drain();
        }
      }
      const window = announce ?? 5_000_000;
      const sent = client.bytesSent;
      await waitFor(() => client.serverAcknowledged > sent - window, 3000, 'the last Acknowledgement');
      const result = { sent, count: client.serverAcknowledgements, last: client.serverAcknowledged };
      await client.end();
      return result;
    };
    const small = await pushBytes(100_000, 1_000_000);
    expect(small.last).toBeLessThanOrEqual(small.sent);
    expect(small.count).toBeGreaterThanOrEqual(Math.floor(small.sent / 200_000)); // reads come in up to 64 KiB pieces
    expect(small.count).toBeLessThanOrEqual(Math.floor(small.sent / 100_000));
    const large = await pushBytes(undefined, 5_200_000);
    expect(large.count).toBe(Math.floor(large.sent / 5_000_000));
    expect(large.last).toBeGreaterThanOrEqual(5_000_000);
  });

  it('refuses RTMP play (LiveChannel is push-only)', async () => {
    const { hooks, requests } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const { client, streamId, statuses } = await openRawSession(port);
    client.command(streamId, 'play', null, 'chan');
    await waitFor(() => statuses.length > 0, 3000, 'onStatus');
    expect(statuses[0]).toMatchObject({ level: 'error', code: 'NetStream.Play.Failed' });
    await client.closed;
    expect(requests).toHaveLength(0);
  });

  it('splits aggregate messages into their FLV tags with absolute timestamps', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const { client, streamId, statuses } = await openRawSession(port);
    client.command(streamId, 'publish', null, 'agg', 'live');
    await waitFor(() => statuses.some((s) => s.code === 'NetStream.Publish.Start'), 3000, 'Publish.Start');
    const tags = fileMedia(FIXTURE_360P).slice(2, 6);
    const aggregate = Buffer.concat(
      tags.map((t) => {
        const head = Buffer.alloc(11);
        head[0] = t.type === 'audio' ? 8 : 9;
        head.writeUIntBE(t.data.length, 1, 3);
        head.writeUIntBE(t.timestamp + 5000, 4, 3); // tag times are relative to the first one
        const prev = Buffer.alloc(4);
        prev.writeUInt32BE(11 + t.data.length);
        return Buffer.concat([head, t.data, prev]);
      }),
    );
    client.sendTag(22, streamId, 1000, aggregate);
    await waitFor(() => (publishes[0]?.packets.length ?? 0) === 4, 3000, 'split packets');
    expect(publishes[0]!.packets.map((p) => p.timestamp)).toEqual(tags.map((t) => 1000 + t.timestamp - tags[0]!.timestamp));
    expect(publishes[0]!.packets.map((p) => p.data)).toEqual(tags.map((t) => t.data));
    await client.end();
  });

  it('passes a negative composition offset through untouched (the library would read it as +16.7 million)', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const body = Buffer.from([0x27, 0x01, 0xff, 0xff, 0xd8, 0, 0, 0, 1, 0x41]); // inter frame, CTS = -40
    const flv = Buffer.concat([
      Buffer.from('464c5601050000000900000000', 'hex'), // FLV header + PreviousTagSize0
      Buffer.from([9, 0, 0, body.length, 0, 0, 80, 0, 0, 0, 0]),
      body,
      Buffer.from([0, 0, 0, 11 + body.length]),
    ]);
    await publishFlv({ url: `rtmp://127.0.0.1:${port}/live/chan`, flv, speed: 0 });
    await publishes[0]!.ended;
    expect(publishes[0]!.packets).toEqual([{ type: 'video', timestamp: 80, data: body }]);
  });
});
