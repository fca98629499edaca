import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aliError,
  claimLive,
  normalised,
  seedPublish,
  signedRequest,
  startLiveFixture,
  xmlElements,
  type LiveFixture,
} from '../../helpers/live-channel.js';
import { internalsOf } from '../../../src/testing/internal.js';

// The spec's samples (§5.6, §5.7).
const IDLE_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<LiveChannelStat>
  <Status>Idle</Status>
</LiveChannelStat>`;

const LIVE_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<LiveChannelStat>
  <Status>Live</Status>
  <ConnectedTime>2016-08-25T06:25:15.000Z</ConnectedTime>
  <RemoteAddr>10.1.2.3:47745</RemoteAddr>
  <Video>
    <Width>1280</Width>
    <Height>536</Height>
    <FrameRate>24</FrameRate>
    <Bandwidth>0</Bandwidth>
    <Codec>H264</Codec>
  </Video>
  <Audio>
    <Bandwidth>0</Bandwidth>
    <SampleRate>44100</SampleRate>
    <Codec>ADPCM</Codec>
  </Audio>
</LiveChannelStat>`;

const HISTORY_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<LiveChannelHistory>
  <LiveRecord>
    <StartTime>2016-07-30T01:53:21.000Z</StartTime>
    <EndTime>2016-07-30T01:53:31.000Z</EndTime>
    <RemoteAddr>10.101.194.148:56861</RemoteAddr>
  </LiveRecord>
  <LiveRecord>
    <StartTime>2016-07-30T01:53:35.000Z</StartTime>
    <EndTime>2016-07-30T01:53:45.000Z</EndTime>
    <RemoteAddr>10.101.194.148:57126</RemoteAddr>
  </LiveRecord>
</LiveChannelHistory>`;

let f: LiveFixture;
beforeAll(async () => {
  f = await startLiveFixture();
});
afterAll(() => f.emu.close());

const create = (name: string) => f.client.putChannel(name, { Target: { Type: 'HLS' } });
const stat = (name: string) =>
  signedRequest(f.emu, {
    method: 'GET',
    bucket: f.bucket,
    key: name,
    query: [
      ['live', ''],
      ['comp', 'stat'],
    ],
  });
const history = (name: string) =>
  signedRequest(f.emu, {
    method: 'GET',
    bucket: f.bucket,
    key: name,
    query: [
      ['live', ''],
      ['comp', 'history'],
    ],
  });

describe('GetLiveChannelStat', () => {
  it('answers Idle and nothing else for a channel nobody publishes to', async () => {
    await create('idle');
    const res = await stat('idle');
    expect(res.status).toBe(200);
    expect(xmlElements(res.text)).toEqual(xmlElements(IDLE_SAMPLE));
    expect((await f.client.getChannelStatus('idle')).data).toEqual({ Status: 'Idle' });
  });

  it('answers Live with the publisher facts in the spec sample order, times with .000Z', async () => {
    await create('live');
    const publish = claimLive(f.emu, f.bucket, 'live', {
      connectedMs: Date.parse('2016-08-25T06:25:15.678Z'),
      remoteAddr: '10.1.2.3:47745',
      video: { width: 1280, height: 536, frameRate: 24, bandwidth: 0, codec: 'H264' },
      audio: { bandwidth: 0, sampleRate: 44100, codec: 'ADPCM' },
    });
    try {
      expect(xmlElements((await stat('live')).text)).toEqual(xmlElements(LIVE_SAMPLE));
    } finally {
      publish.release();
    }
    expect(xmlElements((await stat('live')).text)).toEqual(xmlElements(IDLE_SAMPLE));
  });

  it('rounds every number to an integer (oss2 and Java parse them as int)', async () => {
    await create('fractional');
    const publish = claimLive(f.emu, f.bucket, 'fractional', {
      video: { width: 672, height: 378, frameRate: 29.97, bandwidth: 50123.6, codec: 'H264' },
      audio: { bandwidth: 4000.4, sampleRate: 22050, codec: 'AAC' },
    });
    try {
      const data = (await f.client.getChannelStatus('fractional')).data;
      expect(data.Video).toEqual({ Width: '672', Height: '378', FrameRate: '30', Bandwidth: '50124', Codec: 'H264' });
      expect(data.Audio).toEqual({ Bandwidth: '4000', SampleRate: '22050', Codec: 'AAC' });
    } finally {
      publish.release();
    }
  });

  it('leaves Video and Audio out while the publisher has sent no media', async () => {
    await create('no-media');
    const publish = claimLive(f.emu, f.bucket, 'no-media');
    try {
      expect(normalised(xmlElements((await stat('no-media')).text), ['ConnectedTime'])).toEqual([
        'LiveChannelStat/',
        'LiveChannelStat/Status=Live',
        'LiveChannelStat/ConnectedTime=<ConnectedTime>',
        'LiveChannelStat/RemoteAddr=10.1.2.3:47745',
      ]);
    } finally {
      publish.release();
    }
  });

  it('answers Disabled and nothing else for a disabled channel, even while a publisher is still connected', async () => {
    await create('disabled-live');
    const publish = claimLive(f.emu, f.bucket, 'disabled-live', {
      video: { width: 1, height: 1, frameRate: 1, bandwidth: 1, codec: 'H264' },
    });
    try {
      await f.client.putChannelStatus('disabled-live', 'disabled');
      expect(xmlElements((await stat('disabled-live')).text)).toEqual(['LiveChannelStat/', 'LiveChannelStat/Status=Disabled']);
    } finally {
      publish.release();
    }
  });

  it('answers 404 NoSuchLiveChannel for an unknown channel', async () => {
    expect(await aliError(f.client.getChannelStatus('no-such'))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });
});

describe('GetLiveChannelHistory', () => {
  it('answers an empty history for a channel never pushed to', async () => {
    await create('never-pushed');
    const res = await history('never-pushed');
    expect(res.status).toBe(200);
    expect(xmlElements(res.text)).toEqual(['LiveChannelHistory=']);
    expect((await f.client.getChannelHistory('never-pushed')).records).toEqual([]);
  });

  it('matches the spec sample element by element', async () => {
    await create('sampled');
    seedPublish(f.emu, f.bucket, 'sampled', {
      startMs: Date.parse('2016-07-30T01:53:21.250Z'),
      endMs: Date.parse('2016-07-30T01:53:31.999Z'),
      remoteAddr: '10.101.194.148:56861',
    });
    seedPublish(f.emu, f.bucket, 'sampled', {
      startMs: Date.parse('2016-07-30T01:53:35Z'),
      endMs: Date.parse('2016-07-30T01:53:45Z'),
      remoteAddr: '10.101.194.148:57126',
    });
    expect(xmlElements((await history('sampled')).text)).toEqual(xmlElements(HISTORY_SAMPLE));
  });

  it('lists the 10 most recent finished publishes, oldest first, and not the one in progress', async () => {
    await create('busy-history');
    const base = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < 12; i++) {
      seedPublish(f.emu, f.bucket, 'busy-history', {
        startMs: base + i * 60_000,
        endMs: base + i * 60_000 + 30_000,
        remoteAddr: `10.0.0.${i}:5000`,
      });
    }
    internalsOf(f.emu).services.store.openPublish(f.bucket, 'busy-history', base + 20 * 60_000, '10.0.0.99:5000', 'playlist.m3u8');
    const { records } = await f.client.getChannelHistory('busy-history');
    expect(records.map((r) => r.RemoteAddr)).toEqual(Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 2}:5000`));
    expect(records[0]).toEqual({ StartTime: '2024-01-01T00:02:00.000Z', EndTime: '2024-01-01T00:02:30.000Z', RemoteAddr: '10.0.0.2:5000' });
  });

  it('answers 404 NoSuchLiveChannel for an unknown channel', async () => {
    expect(await aliError(f.client.getChannelHistory('no-such'))).toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
  });
});
