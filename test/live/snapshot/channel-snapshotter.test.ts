import { describe, expect, it } from 'vitest';
import { ChannelSnapshotter, type SnapshotCapture, type SnapshotJob } from '../../../src/live/snapshot/channel-snapshotter.js';
import { FlvDemuxer, type DemuxedTag } from '../../../src/media/flv-demux.js';
import type { Logger } from '../../../src/shared/logger.js';
import { avcFrame, avcSequenceHeader, fakeSlice } from '../../helpers/flv-builder.js';

const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, child: () => quiet };

describe('ChannelSnapshotter', () => {
  it('hands ffmpeg the Annex B unit the media stage made for the segmenter, not a second conversion', async () => {
    const jobs: SnapshotJob[] = [];
    const capture: SnapshotCapture = {
      store: { getBucket: () => ({}) as never },
      maybeUsable: true,
      maxPendingPerChannel: 16,
      capture: async (job) => void jobs.push(job),
    };
    const config = { roleName: 'r', destBucket: 'snaps', notifyTopic: 't', interval: 1 };
    const snapshotter = new ChannelSnapshotter(capture, { bucket: 'b', channel: 'cam', config, wallStartMs: 5000, log: quiet });
    const demuxer = new FlvDemuxer();
    const tags: DemuxedTag[] = [
      demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) }),
      demuxer.push({ type: 'video', timestamp: 0, data: avcFrame({ key: true, nals: [fakeSlice(true)] }) }),
      demuxer.push({ type: 'video', timestamp: 40, data: avcFrame({ key: false, nals: [fakeSlice(false)] }) }),
      demuxer.push({ type: 'video', timestamp: 1000, data: avcFrame({ key: false, nals: [fakeSlice(false)] }) }),
    ];
    for (const tag of tags) snapshotter.tag(tag);
    await snapshotter.stop();
    expect(jobs.map((j) => j.key)).toEqual(['cam/5000.jpg']);
    const keyframe = tags[1]!;
    expect(keyframe.kind).toBe('video');
    expect(jobs[0]!.annexB()).toBe(keyframe.kind === 'video' ? keyframe.data : undefined);
  });
});
