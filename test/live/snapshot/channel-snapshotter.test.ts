import { describe, expect, it } from 'vitest';
import { ChannelSnapshotter, type SnapshotCapture, type SnapshotJob } from '../../../src/live/snapshot/channel-snapshotter.js';
import { FlvDemuxer } from '../../../src/media/flv-demux.js';
import type { Logger } from '../../../src/shared/logger.js';
import { avcFrame, avcSequenceHeader, fakeSlice } from '../../helpers/flv-builder.js';

const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => quiet };

describe('ChannelSnapshotter', () => {
  it('hands ffmpeg the Annex B unit the media stage made for the segmenter, kept intact while the stage reuses its memory', async () => {
    const jobs: SnapshotJob[] = [];
    const capture: SnapshotCapture = {
      store: { getBucket: () => ({}) as never },
      maybeUsable: true,
      maxPendingPerChannel: 16,
      capture: async (job) => void jobs.push(job),
    };
    const config = { roleName: 'r', destBucket: 'snaps', notifyTopic: 't', interval: 1 };
    const snapshotter = new ChannelSnapshotter(capture, { bucket: 'b', channel: 'cam', config, wallStartMs: 5000, log: quiet });
    // As in a live session: each tag goes to the snapshotter before the next push overwrites the frame memory.
    const demuxer = new FlvDemuxer({ reuseFrameMemory: true });
    const packets = [
      { type: 'video' as const, timestamp: 0, data: avcSequenceHeader(SPS, PPS) },
      { type: 'video' as const, timestamp: 0, data: avcFrame({ key: true, nals: [fakeSlice(true)] }) },
      { type: 'video' as const, timestamp: 40, data: avcFrame({ key: false, nals: [fakeSlice(false)] }) },
      { type: 'video' as const, timestamp: 1000, data: avcFrame({ key: false, nals: [fakeSlice(false)] }) },
    ];
    for (const p of packets) snapshotter.tag(demuxer.push(p));
    await snapshotter.stop();
    const reference = new FlvDemuxer();
    const keyframe = packets.slice(0, 2).map((p) => reference.push(p))[1]!;
    expect(jobs.map((j) => j.key)).toEqual(['cam/5000.jpg']);
    expect(keyframe.kind).toBe('video');
    expect(jobs[0]!.annexB()).toEqual(keyframe.kind === 'video' ? keyframe.data : undefined);
  });
});
