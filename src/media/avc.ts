import { MediaFormatError } from './errors.js';

export { parseSps, type SpsInfo } from './h264-sps.js';

/** FLV VIDEODATA (E.4.3.1 of the FLV spec v10.1) after its 1-5 header bytes. */
export type VideoTag =
  | {
      codec: 'avc';
      /** 1 keyframe, 2 inter, 3 disposable inter, 4 generated keyframe, 5 video info/command. */
      frameType: number;
      keyframe: boolean;
      packetType: AvcPacketType;
      /** PTS - DTS in ms; SI24, negative values are legal. */
      compositionTimeMs: number;
      /** AVCDecoderConfigurationRecord for 'sequence-header', length-prefixed NAL units for 'nalu'. */
      payload: Buffer;
    }
  | { codec: 'unsupported'; frameType: number; keyframe: boolean; name: string };

/** 'info-frame' is FrameType 5: a seek marker carrying no picture. */
export type AvcPacketType = 'sequence-header' | 'nalu' | 'end-of-sequence' | 'info-frame';

export interface AvcDecoderConfig {
  profileIdc: number;
  levelIdc: number;
  /** Bytes of each NAL unit length prefix in 'nalu' packets (lengthSizeMinusOne + 1). */
  nalLengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
}

export const VIDEO_CODEC_ID_AVC = 7;
const FRAME_TYPE_KEY = 1;
const FRAME_TYPE_INFO = 5;
const EX_HEADER_FLAG = 0x80; // Enhanced RTMP: a FourCC follows instead of a codec id
const VIDEO_CODEC_NAMES: Readonly<Record<number, string>> = {
  2: 'Sorenson H.263',
  3: 'Screen video',
  4: 'On2 VP6',
  5: 'On2 VP6 with alpha',
  6: 'Screen video v2',
  7: 'AVC',
  12: 'HEVC (non-standard codec id 12)',
};
const AVC_PACKET_TYPES: readonly AvcPacketType[] = ['sequence-header', 'nalu', 'end-of-sequence'];

export const NAL_TYPE = { IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9 } as const;
const START_CODE = Buffer.from([0, 0, 0, 1]);
// AUD with primary_pic_type 7 (any slice type): HLS requires an AUD first in each access unit.
const AUD = Buffer.from([0, 0, 0, 1, NAL_TYPE.AUD, 0xf0]);

/** Parses the VIDEODATA header; codecs other than AVC are reported, not rejected (the caller decides). */
export function parseVideoTag(body: Buffer): VideoTag {
  if (body.length < 1) throw new MediaFormatError('FLV video tag: empty body');
  const first = body[0]!;
  if (first & EX_HEADER_FLAG) {
    const frameType = (first >> 4) & 0x07;
    const fourCc = body.length >= 5 ? body.toString('latin1', 1, 5) : '?';
    return { codec: 'unsupported', frameType, keyframe: frameType === FRAME_TYPE_KEY, name: `Enhanced RTMP ${fourCc}` };
  }
  const frameType = first >> 4;
  const codecId = first & 0x0f;
  const keyframe = frameType === FRAME_TYPE_KEY;
  if (codecId !== VIDEO_CODEC_ID_AVC) {
    const name = `${VIDEO_CODEC_NAMES[codecId] ?? 'unknown video codec'} (codec id ${codecId})`;
    return { codec: 'unsupported', frameType, keyframe, name };
  }
  if (frameType === FRAME_TYPE_INFO) {
    return { codec: 'avc', frameType, keyframe, packetType: 'info-frame', compositionTimeMs: 0, payload: body.subarray(1) };
  }
  if (body.length < 5) throw new MediaFormatError(`FLV AVC video tag: ${body.length}-byte body is shorter than its header`);
  const packetType = AVC_PACKET_TYPES[body[1]!];
  if (!packetType) throw new MediaFormatError(`FLV AVC video tag: unknown AVCPacketType ${body[1]}`);
  return { codec: 'avc', frameType, keyframe, packetType, compositionTimeMs: body.readIntBE(2, 3), payload: body.subarray(5) };
}

/** AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1); the high-profile extension bytes are not needed. */
export function parseAvcDecoderConfig(record: Buffer): AvcDecoderConfig {
  const fail = (why: string): never => {
    throw new MediaFormatError(`AVCDecoderConfigurationRecord: ${why}`);
  };
  if (record.length < 7) fail(`${record.length} bytes is too short`);
  if (record[0] !== 1) fail(`configurationVersion ${record[0]} is not 1`);
  let pos = 5;
  const readList = (count: number, what: string): Buffer[] => {
    const list: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      if (pos + 2 > record.length) fail(`truncated ${what} length`);
      const len = record.readUInt16BE(pos);
      if (pos + 2 + len > record.length) fail(`${what} of ${len} bytes runs past the record`);
      list.push(record.subarray(pos + 2, pos + 2 + len));
      pos += 2 + len;
    }
    return list;
  };
  const sps = readList(record[pos++]! & 0x1f, 'SPS');
  if (pos >= record.length) fail('missing PPS count');
  const pps = readList(record[pos++]!, 'PPS');
  if (sps.length === 0) fail('no SPS');
  return { profileIdc: record[1]!, levelIdc: record[3]!, nalLengthSize: (record[4]! & 0x03) + 1, sps, pps };
}

/** Splits length-prefixed (AVCC) NAL units; a length that runs past the packet throws instead of over-reading. */
export function splitAvccNalUnits(payload: Buffer, nalLengthSize: number): Buffer[] {
  const nals: Buffer[] = [];
  let pos = 0;
  while (pos < payload.length) {
    if (pos + nalLengthSize > payload.length) throw new MediaFormatError(`AVC packet: truncated NAL length at ${pos}`);
    const len = payload.readUIntBE(pos, nalLengthSize);
    pos += nalLengthSize;
    if (pos + len > payload.length) {
      throw new MediaFormatError(`AVC packet: NAL unit of ${len} bytes at ${pos} runs past the ${payload.length}-byte packet`);
    }
    if (len > 0) nals.push(payload.subarray(pos, pos + len));
    pos += len;
  }
  return nals;
}

/** Whether an AVCC access unit holds an IDR slice or its own SPS (so, as Annex B, it decodes without other parameter sets). */
export function avccDecodesAlone(payload: Buffer, nalLengthSize: number): boolean {
  let pos = 0;
  while (pos + nalLengthSize <= payload.length) {
    const len = payload.readUIntBE(pos, nalLengthSize);
    pos += nalLengthSize;
    if (len > 0 && pos < payload.length) {
      const type = payload[pos]! & 0x1f;
      if (type === NAL_TYPE.IDR || type === NAL_TYPE.SPS) return true;
    }
    pos += len;
  }
  return false;
}

/** Memory avccToAnnexB may write into (grown when a unit does not fit): its result is then a view, valid until the next call. */
export interface AnnexBScratch {
  buffer: Buffer;
}

/**
 * One AVCC access unit -> Annex B: AUD first (any AUD of the source is dropped), then SPS+PPS from the
 * sequence header when the unit holds an IDR slice without in-band SPS, so every segment can start decoding alone.
 */
export function avccToAnnexB(
  payload: Buffer,
  config: Pick<AvcDecoderConfig, 'nalLengthSize' | 'sps' | 'pps'>,
  scratch?: AnnexBScratch,
): Buffer {
  // Two passes over the length prefixes (validate and size, then copy): no per-NAL views or arrays per frame.
  const lengthSize = config.nalLengthSize;
  let size = AUD.length;
  let hasIdr = false;
  let hasSps = false;
  for (let pos = 0; pos < payload.length;) {
    if (pos + lengthSize > payload.length) throw new MediaFormatError(`AVC packet: truncated NAL length at ${pos}`);
    const len = payload.readUIntBE(pos, lengthSize);
    pos += lengthSize;
    if (pos + len > payload.length) {
      throw new MediaFormatError(`AVC packet: NAL unit of ${len} bytes at ${pos} runs past the ${payload.length}-byte packet`);
    }
    if (len > 0) {
      const type = payload[pos]! & 0x1f;
      if (type !== NAL_TYPE.AUD) size += START_CODE.length + len;
      if (type === NAL_TYPE.IDR) hasIdr = true;
      else if (type === NAL_TYPE.SPS) hasSps = true;
    }
    pos += len;
  }
  const parameterSets = hasIdr && !hasSps ? [...config.sps, ...config.pps] : [];
  for (const n of parameterSets) size += START_CODE.length + n.length;
  let out: Buffer;
  if (scratch) {
    if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafeSlow(Math.max(size, 2 * scratch.buffer.length));
    out = scratch.buffer.subarray(0, size);
  } else {
    out = Buffer.allocUnsafe(size);
  }
  let at = AUD.copy(out, 0);
  for (const n of parameterSets) {
    at += START_CODE.copy(out, at);
    at += n.copy(out, at);
  }
  for (let pos = 0; pos < payload.length;) {
    const len = payload.readUIntBE(pos, lengthSize);
    pos += lengthSize;
    if (len > 0 && (payload[pos]! & 0x1f) !== NAL_TYPE.AUD) {
      out[at] = 0;
      out[at + 1] = 0;
      out[at + 2] = 0;
      out[at + 3] = 1;
      at += 4 + payload.copy(out, at + 4, pos, pos + len);
    }
    pos += len;
  }
  return out;
}
