import { describe, expect, it } from 'vitest';
import { UnsupportedCodecError } from '../../src/media/errors.js';
import { decodableKeyframe, FlvDemuxer, type DemuxedTag } from '../../src/media/flv-demux.js';
import { aacFrame, aacSequenceHeader, avcFrame, avcSequenceHeader, fakeSlice } from '../helpers/flv-builder.js';

const SPS = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
const PPS = Buffer.from('68ebe3cb22c0', 'hex');
const START = Buffer.from([0, 0, 0, 1]);
const AUD = Buffer.from([0, 0, 0, 1, 0x09, 0xf0]);
const annexB = (...nals: Buffer[]) => Buffer.concat(nals.flatMap((n) => [START, n]));

describe('FlvDemuxer: FLV tag -> access unit, the stage the segmenter and the snapshotter share', () => {
  it('turns sequence headers into configs and frames into Annex B / ADTS units in FLV time', () => {
    const demuxer = new FlvDemuxer();
    const config = demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) });
    expect(config).toMatchObject({ kind: 'video-config', type: 'video', timestamp: 0, sps: { width: 1920, height: 1080 } });
    const idr = fakeSlice(true, 8);
    const frame = demuxer.push({ type: 'video', timestamp: 40, data: avcFrame({ key: true, cts: -20, nals: [idr] }) });
    expect(frame).toMatchObject({ kind: 'video', timestamp: 40, compositionTimeMs: -20, key: true, decodesAlone: true });
    // The segment-start rule: an IDR without in-band SPS gets the sequence header's, after the AUD.
    expect((frame as Extract<DemuxedTag, { kind: 'video' }>).data).toEqual(Buffer.concat([AUD, annexB(SPS, PPS, idr)]));

    expect(demuxer.push({ type: 'audio', timestamp: 0, data: aacSequenceHeader() })).toMatchObject({
      kind: 'audio-config',
      config: { sampleRate: 44100, channelConfiguration: 2 },
    });
    const aac = demuxer.push({ type: 'audio', timestamp: 23, data: aacFrame(10) });
    expect(aac).toMatchObject({ kind: 'audio', type: 'audio', timestamp: 23 });
    const adts = (aac as Extract<DemuxedTag, { kind: 'audio' }>).data;
    expect(adts.length).toBe(7 + 10);
    expect(adts.readUInt16BE(0) & 0xfff0).toBe(0xfff0); // ADTS syncword
  });

  it('keeps no view into the tag body: frames own their bytes', () => {
    const demuxer = new FlvDemuxer();
    demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) });
    const body = avcFrame({ key: false, nals: [fakeSlice(false, 16)] });
    const frame = demuxer.push({ type: 'video', timestamp: 0, data: body }) as Extract<DemuxedTag, { kind: 'video' }>;
    const before = Buffer.from(frame.data);
    body.fill(0); // the RTMP parser may reuse its buffers once the packet is handed on
    expect(frame.data).toEqual(before);
    expect(frame.data.buffer === body.buffer && frame.data.byteOffset < body.byteOffset + body.length).toBe(false);
  });

  it('keeps no view into a sequence header body: its SPS/PPS still go before a later IDR after the body is reused', () => {
    const demuxer = new FlvDemuxer();
    const header = avcSequenceHeader(SPS, PPS);
    demuxer.push({ type: 'video', timestamp: 0, data: header });
    header.fill(0); // the RTMP parser reuses its buffer for the next message
    const idr = fakeSlice(true, 8);
    const frame = demuxer.push({ type: 'video', timestamp: 40, data: avcFrame({ key: true, nals: [idr] }) });
    expect((frame as Extract<DemuxedTag, { kind: 'video' }>).data).toEqual(Buffer.concat([AUD, annexB(SPS, PPS, idr)]));
  });

  it('with reuseFrameMemory writes every video frame into the same memory: right bytes, valid until the next push', () => {
    const demuxer = new FlvDemuxer({ reuseFrameMemory: true });
    demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) });
    const idr = fakeSlice(true, 8);
    const inter = fakeSlice(false, 100_000); // larger than the initial memory: it grows
    const frames = [
      { nals: [idr], key: true, expected: Buffer.concat([AUD, annexB(SPS, PPS, idr)]) },
      { nals: [inter], key: false, expected: Buffer.concat([AUD, annexB(inter)]) },
      { nals: [idr], key: true, expected: Buffer.concat([AUD, annexB(SPS, PPS, idr)]) },
    ].map(({ nals, key, expected }, i) => {
      const frame = demuxer.push({ type: 'video', timestamp: 40 * (i + 1), data: avcFrame({ key, nals }) });
      const data = (frame as Extract<DemuxedTag, { kind: 'video' }>).data;
      expect(data).toEqual(expected);
      return data;
    });
    expect(frames[0]!.buffer).not.toBe(frames[1]!.buffer); // grew for the large frame
    expect(frames[2]!.buffer).toBe(frames[1]!.buffer); // then reused, no allocation per frame
  });

  it('skips what carries no picture, with the warning the segmenter logs once', () => {
    const demuxer = new FlvDemuxer();
    expect(demuxer.push({ type: 'video', timestamp: 0, data: avcFrame({ key: true, nals: [fakeSlice(true)] }) })).toEqual({
      kind: 'skipped',
      type: 'video',
      timestamp: 0,
      warning: 'H.264 frames before the AVC sequence header were dropped',
    });
    expect(demuxer.push({ type: 'audio', timestamp: 5, data: aacFrame() })).toEqual({
      kind: 'skipped',
      type: 'audio',
      timestamp: 5,
      warning: 'AAC frames without a usable sequence header were dropped',
    });
    demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) });
    const endOfSequence = Buffer.from([0x17, 0x02, 0, 0, 0]);
    expect(demuxer.push({ type: 'video', timestamp: 80, data: endOfSequence })).toEqual({ kind: 'skipped', type: 'video', timestamp: 80 });
    expect(demuxer.push({ type: 'audio', timestamp: 9, data: aacSequenceHeader(Buffer.from([0xf8, 0xa8, 0x60])) })).toMatchObject({
      kind: 'audio-config',
      config: undefined,
      warning: expect.stringMatching(/; audio dropped$/),
    });
  });

  it('throws UnsupportedCodecError for a Sorenson H.263 (codec id 2) video tag', () => {
    const demuxer = new FlvDemuxer();
    const push = () => demuxer.push({ type: 'video', timestamp: 0, data: Buffer.from([0x12, 0x00, 0x00, 0x84]) });
    expect(push).toThrow(UnsupportedCodecError);
    expect(push).toThrow(/Sorenson H\.263 \(codec id 2\)/);
  });

  it('refuses HEVC sent as enhanced RTMP (OBS >= 29) with the OSS rule in the message', () => {
    const demuxer = new FlvDemuxer();
    const hevcHeader = Buffer.concat([Buffer.from([0x90]), Buffer.from('hvc1', 'latin1'), Buffer.alloc(8)]);
    expect(() => demuxer.push({ type: 'video', timestamp: 0, data: hevcHeader })).toThrow(UnsupportedCodecError);
    expect(() => demuxer.push({ type: 'video', timestamp: 0, data: hevcHeader })).toThrow(
      /Enhanced RTMP hvc1.*only H\.264 \+ AAC, as OSS LiveChannel/,
    );
  });
});

describe('decodableKeyframe', () => {
  it('returns an IDR unit as the segmenter has it, and puts SPS + PPS before a keyframe without IDR or SPS', () => {
    const demuxer = new FlvDemuxer();
    demuxer.push({ type: 'video', timestamp: 0, data: avcSequenceHeader(SPS, PPS) });
    const idr = demuxer.push({ type: 'video', timestamp: 0, data: avcFrame({ key: true, nals: [fakeSlice(true, 8)] }) });
    const recoveryPoint = fakeSlice(false, 8); // a keyframe by FLV frame type, a non-IDR slice (open GOP)
    const open = demuxer.push({ type: 'video', timestamp: 40, data: avcFrame({ key: true, nals: [recoveryPoint] }) });
    if (idr.kind !== 'video' || open.kind !== 'video') throw new Error('expected frames');
    expect(decodableKeyframe(idr)).toBe(idr.data);
    expect(open.decodesAlone).toBe(false);
    expect(decodableKeyframe(open)).toEqual(Buffer.concat([annexB(SPS, PPS), AUD, annexB(recoveryPoint)]));
  });
});
