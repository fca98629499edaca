import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SnapshotSink } from '../../../src/live/snapshot/channel-snapshotter.js';
import type { JpegEncoder } from '../../../src/live/snapshot/jpeg-encoder.js';
import { NO_FFMPEG_WARNING, SnapshotService } from '../../../src/live/snapshot/snapshot-service.js';
import { FlvDemuxer, type MediaPacket } from '../../../src/media/flv-demux.js';
import { ManualClock } from '../../../src/shared/clock.js';
import type { SnapshotConfig } from '../../../src/store/rows.js';
import { Store } from '../../../src/store/store.js';
import { avcFrame, avcSequenceHeader } from '../../helpers/flv-builder.js';

const scratch = mkdtempSync(join(tmpdir(), 'emu-snap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// ---- a tiny H.264 stream as FLV video tag bodies (the slices are never decoded: the encoder is faked)

// A real SPS (1920x1080 High): the media stage parses it, as the live session's does.
const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from([0x68, 0xce, 0x3c, 0x80]);
const sequenceHeader = avcSequenceHeader(SPS, PPS);
const idrTag = (n: number) => avcFrame({ key: true, nals: [Buffer.from([0x65, 0x88, n])] });
const interTag = avcFrame({ key: false, nals: [Buffer.from([0x41, 0x9a, 0x00])] });

/** 25 fps video from DTS 0 to lastMs, a keyframe every keyEveryMs, the sequence header first. */
function* videoPackets(lastMs: number, keyEveryMs: number): Generator<MediaPacket> {
  yield { type: 'video', timestamp: 0, data: sequenceHeader };
  for (let dts = 0; dts <= lastMs; dts += 40) {
    yield { type: 'video', timestamp: dts, data: dts % keyEveryMs === 0 ? idrTag(dts / 1000) : interTag };
  }
}

/** The video tags through the media stage, as the live session hands them to the snapshotter. */
function feed(sink: SnapshotSink, packets: Iterable<MediaPacket>): void {
  const demuxer = new FlvDemuxer();
  for (const p of packets) sink.tag(demuxer.push(p));
}

function capturingLogger() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, warnings: () => lines.filter((l) => l.level === 40) };
}

const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/**
 * A real in-memory Store holding `buckets`. `puts` lists the objects the service stored, in the order it stored them
 * (a spy on the real putObjectBytes, which still runs), each with the row the store now holds for it.
 */
function storeWith(buckets: string[]) {
  const store = Store.open({ dataDir: '', inMemory: true });
  stores.push(store);
  for (const name of buckets) store.createBucket({ name, acl: 'private', storageClass: 'Standard', createdMs: 0 });
  const spy = vi.spyOn(store, 'putObjectBytes');
  return {
    store,
    puts: () =>
      spy.mock.calls.map(([bucket, key]) => {
        const row = store.getObject(bucket, key);
        return { bucket, key, contentType: row?.contentType, size: row?.size, etag: row?.etag };
      }),
  };
}

const config = (interval: number, destBucket = 'snaps'): SnapshotConfig => ({ roleName: 'r', destBucket, notifyTopic: 't', interval });
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
const JPEG_ETAG = `"${createHash('md5').update(JPEG).digest('hex').toUpperCase()}"`;

describe('SnapshotService', () => {
  it('stores one JPEG per interval with a keyframe, keyed <channel>/<ms>.jpg, never more than maxConcurrent encodes at once', async () => {
    const { store, puts } = storeWith(['snaps']);
    const { log, warnings } = capturingLogger();
    let running = 0;
    let maxRunning = 0;
    const inputs: Buffer[] = [];
    const encode: JpegEncoder = async (ffmpeg, annexB) => {
      expect(ffmpeg).toBe('/fake/ffmpeg');
      inputs.push(annexB);
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return JPEG;
    };
    const service = new SnapshotService({
      store,
      clock: new ManualClock(0),
      log,
      ffmpegPath: '/fake/ffmpeg',
      maxConcurrent: 2,
      encode,
      probe: async () => true,
    });
    const sink = service.forChannel({ bucket: 'src', channel: 'cam', config: config(3), wallStartMs: 1_700_000_000_000, log })!;
    feed(sink, videoPackets(19_960, 2000));
    await sink.stop();

    expect(puts().map((p) => p.key)).toEqual(
      [2000, 4000, 8000, 10_000, 14_000, 16_000, 18_000].map((ms) => `cam/${1_700_000_000_000 + ms}.jpg`),
    );
    expect(
      puts().every((p) => p.bucket === 'snaps' && p.contentType === 'image/jpeg' && p.size === JPEG.length && p.etag === JPEG_ETAG),
    ).toBe(true);
    expect(maxRunning).toBe(2);
    expect(warnings()).toEqual([]);
    // Each input is one decodable unit: SPS and PPS (from the sequence header) before the IDR slice.
    const annexB = inputs[0]!;
    const at = (nal: Buffer) => annexB.indexOf(Buffer.concat([Buffer.from([0, 0, 0, 1]), nal]));
    expect(at(SPS)).toBeGreaterThanOrEqual(0);
    expect(at(PPS)).toBeGreaterThan(at(SPS));
    expect(annexB.indexOf(Buffer.from([0, 0, 0, 1, 0x65, 0x88, 2]))).toBeGreaterThan(at(PPS)); // the keyframe at 2 s
  });

  it('without ffmpeg: one warning at the first snapshot channel, no encode, and no snapshotter for later publishes', async () => {
    const { store, puts } = storeWith(['snaps']);
    const { log, warnings } = capturingLogger();
    let encodes = 0;
    const service = new SnapshotService({
      store,
      clock: new ManualClock(0),
      log,
      ffmpegPath: join(scratch, 'missing', 'ffmpeg'),
      encode: async () => (encodes++, JPEG),
    });
    const first = service.forChannel({ bucket: 'src', channel: 'a', config: config(1), wallStartMs: 0, log })!;
    feed(first, videoPackets(5000, 1000));
    await first.stop();
    expect(service.forChannel({ bucket: 'src', channel: 'b', config: config(1), wallStartMs: 0, log })).toBeUndefined();
    expect(encodes).toBe(0);
    expect(puts()).toEqual([]);
    expect(warnings().map((w) => w.msg)).toEqual([NO_FFMPEG_WARNING]);
    expect(warnings()[0]).toMatchObject({ tried: join(scratch, 'missing', 'ffmpeg'), from: 'FFMPEG_PATH' });
  });

  it('a missing DestBucket: logged once per publish, nothing encoded; a failing ffmpeg does not stop later snapshots', async () => {
    const { store, puts } = storeWith(['snaps']);
    const { log, warnings } = capturingLogger();
    let calls = 0;
    const encode: JpegEncoder = async () => {
      if (++calls === 1) throw new Error('boom');
      return JPEG;
    };
    const service = new SnapshotService({ store, clock: new ManualClock(0), log, ffmpegPath: 'ffmpeg', encode, probe: async () => true });
    const missing = service.forChannel({ bucket: 'src', channel: 'a', config: config(1, 'nope'), wallStartMs: 0, log })!;
    feed(missing, videoPackets(5000, 1000));
    await missing.stop();
    expect(calls).toBe(0);
    expect(warnings().map((w) => w.msg)).toEqual(['snapshot DestBucket does not exist; skipping snapshots']);

    const flaky = service.forChannel({ bucket: 'src', channel: 'b', config: config(1), wallStartMs: 0, log })!;
    feed(flaky, videoPackets(3960, 1000));
    await flaky.stop();
    expect(calls).toBe(4);
    expect(puts().map((p) => p.key)).toEqual(['b/1000.jpg', 'b/2000.jpg', 'b/3000.jpg']);
    expect(warnings().map((w) => w.msg)).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({ err: 'boom' });
  });

  it('drops snapshots beyond maxPendingPerChannel instead of queueing without bound', async () => {
    const { store, puts } = storeWith(['snaps']);
    const { log, warnings } = capturingLogger();
    const service = new SnapshotService({
      store,
      clock: new ManualClock(0),
      log,
      ffmpegPath: 'ffmpeg',
      maxConcurrent: 1,
      maxPendingPerChannel: 3,
      encode: async () => JPEG,
      probe: async () => true,
    });
    const sink = service.forChannel({ bucket: 'src', channel: 'c', config: config(1), wallStartMs: 0, log })!;
    feed(sink, videoPackets(9960, 1000)); // 10 picks arrive before any encode ran
    await sink.stop();
    expect(puts().map((p) => p.key)).toEqual(['c/0.jpg', 'c/1000.jpg', 'c/2000.jpg']);
    expect(warnings().map((w) => w.msg)).toEqual(['ffmpeg cannot keep up; dropping snapshots']);
  });
});
