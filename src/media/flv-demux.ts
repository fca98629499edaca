import { adtsParamsFor, parseAudioSpecificConfig, parseAudioTag, toAdtsFrame } from './aac.js';
import type { AdtsParams, AudioSpecificConfig } from './aac.js';
import { avccDecodesAlone, avccToAnnexB, parseAvcDecoderConfig, parseSps, parseVideoTag } from './avc.js';
import type { AnnexBScratch, AvcDecoderConfig, SpsInfo } from './avc.js';
import { UnsupportedCodecError } from './errors.js';

/** One FLV audio/video tag body as RTMP delivers it: what the RTMP adapter hands the live session. */
export interface MediaPacket {
  type: 'audio' | 'video';
  /** DTS in ms, as RTMP/FLV carries it. */
  timestamp: number;
  /**
   * FLV tag body. The demuxer keeps no view into it (the RTMP adapter reuses it after the call): every frame it
   * returns is written into bytes of its own, and a sequence header's parameter sets are copied.
   */
  data: Buffer;
}

/** A coded picture, in FLV time (the segmenter moves it onto the publish's monotonic timeline). */
export interface VideoFrame {
  kind: 'video';
  type: 'video';
  /** DTS in ms, the tag's own. */
  timestamp: number;
  /** PTS - DTS in ms (may be negative). */
  compositionTimeMs: number;
  /** An FLV keyframe (IDR, or a recovery point on an open GOP). */
  key: boolean;
  /**
   * The Annex B access unit: AUD first, SPS+PPS before an IDR lacking them. Fresh bytes that consumers may keep, unless
   * the demuxer reuses frame memory (then valid until its next push(): copy to keep).
   */
  data: Buffer;
  /** The sequence header the frame decodes with. */
  avc: AvcDecoderConfig;
  /** It holds an IDR slice or its own SPS (a keyframe without either needs the sequence header's parameter sets). */
  decodesAlone: boolean;
}

/** One ADTS frame (7-byte header + raw AAC), in FLV time. Fresh bytes: consumers may keep them. */
export interface AudioFrame {
  kind: 'audio';
  type: 'audio';
  timestamp: number;
  data: Buffer;
}

/** What one FLV audio/video tag became. `timestamp` is always the tag's own (DTS in ms). */
export type DemuxedTag =
  | VideoFrame
  | AudioFrame
  | { kind: 'video-config'; type: 'video'; timestamp: number; avc: AvcDecoderConfig; sps: SpsInfo }
  /** `config` is undefined when the AudioSpecificConfig cannot be framed as ADTS (`warning` says why): audio is then dropped. */
  | { kind: 'audio-config'; type: 'audio'; timestamp: number; config: AudioSpecificConfig | undefined; warning?: string }
  /** Nothing to play: end of sequence, an info frame, a frame without a usable sequence header (`warning`), non-AAC audio. */
  | { kind: 'skipped'; type: 'audio' | 'video'; timestamp: number; warning?: string };

/**
 * The media stage every consumer shares (sans-IO): FLV tag bodies in, access units out (H.264 as Annex B, AAC as ADTS),
 * with the sequence headers they decode with. One per publish; the HLS segmenter and the snapshotter both read its output,
 * so each frame is parsed and converted once. Throws UnsupportedCodecError for non-H.264 video, MediaFormatError for
 * malformed tags.
 */
export class FlvDemuxer {
  private avc: AvcDecoderConfig | undefined;
  private adts: AdtsParams | undefined;
  /** Where video frames are written when `reuseFrameMemory` is on. */
  private readonly scratch: AnnexBScratch | undefined;

  /**
   * `reuseFrameMemory`: each video frame's Annex B bytes are written into memory the next push() overwrites (no
   * allocation per frame: a live session muxes every frame before the next one arrives). Audio frames stay fresh.
   */
  constructor(opts: { reuseFrameMemory?: boolean } = {}) {
    if (opts.reuseFrameMemory) this.scratch = { buffer: Buffer.allocUnsafeSlow(64 * 1024) };
  }

  push(p: MediaPacket): DemuxedTag {
    return p.type === 'video' ? this.video(p.timestamp, p.data) : this.audio(p.timestamp, p.data);
  }

  private video(timestamp: number, body: Buffer): DemuxedTag {
    const tag = parseVideoTag(body);
    if (tag.codec === 'unsupported') {
      const message = `video codec ${tag.name} is not supported: only H.264 + AAC, as OSS LiveChannel (set the encoder to H.264/x264)`;
      throw new UnsupportedCodecError(message, tag.name);
    }
    if (tag.packetType === 'sequence-header') {
      const avc = parseAvcDecoderConfig(Buffer.from(tag.payload)); // its SPS/PPS are views: of a copy, kept
      const sps = parseSps(avc.sps[0]!);
      this.avc = avc;
      return { kind: 'video-config', type: 'video', timestamp, avc, sps };
    }
    if (tag.packetType !== 'nalu') return { kind: 'skipped', type: 'video', timestamp }; // end-of-sequence and info frames carry no picture
    const avc = this.avc;
    if (!avc) return { kind: 'skipped', type: 'video', timestamp, warning: 'H.264 frames before the AVC sequence header were dropped' };
    return {
      kind: 'video',
      type: 'video',
      timestamp,
      compositionTimeMs: tag.compositionTimeMs,
      key: tag.keyframe,
      data: avccToAnnexB(tag.payload, avc, this.scratch),
      avc,
      decodesAlone: tag.keyframe && avccDecodesAlone(tag.payload, avc.nalLengthSize),
    };
  }

  private audio(timestamp: number, body: Buffer): DemuxedTag {
    const tag = parseAudioTag(body);
    if (tag.codec === 'unsupported') {
      return { kind: 'skipped', type: 'audio', timestamp, warning: `audio ${tag.name} is not AAC and was dropped` };
    }
    if (tag.packetType === 'sequence-header') {
      const config = parseAudioSpecificConfig(tag.payload);
      try {
        this.adts = adtsParamsFor(config);
        return { kind: 'audio-config', type: 'audio', timestamp, config };
      } catch (err) {
        if (!(err instanceof UnsupportedCodecError)) throw err;
        this.adts = undefined;
        return { kind: 'audio-config', type: 'audio', timestamp, config: undefined, warning: `${err.message}; audio dropped` };
      }
    }
    if (!this.adts)
      return { kind: 'skipped', type: 'audio', timestamp, warning: 'AAC frames without a usable sequence header were dropped' };
    return { kind: 'audio', type: 'audio', timestamp, data: toAdtsFrame(this.adts, tag.payload) };
  }
}

const START_CODE = Buffer.from([0, 0, 0, 1]);

/** A keyframe as one decodable Annex B unit: the sequence header's SPS + PPS go first unless the frame decodes alone. */
export function decodableKeyframe(frame: Pick<VideoFrame, 'data' | 'avc' | 'decodesAlone'>): Buffer {
  if (frame.decodesAlone) return frame.data;
  // A keyframe without an IDR slice (open GOP, recovery point): the decoder still needs the parameter sets.
  return Buffer.concat([...[...frame.avc.sps, ...frame.avc.pps].flatMap((n) => [START_CODE, n]), frame.data]);
}
