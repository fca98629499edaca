import { MediaFormatError } from './errors.js';

/** One FLV tag as RTMP delivers it: the body only, with the full 32-bit timestamp. */
export interface FlvTag {
  type: 'audio' | 'video' | 'script';
  /** Milliseconds (DTS for audio/video), including the extended upper byte. */
  timestamp: number;
  /** The tag body (AUDIODATA / VIDEODATA / SCRIPTDATA), a view into the parsed buffer. */
  data: Buffer;
}

export interface FlvFile {
  hasAudio: boolean;
  hasVideo: boolean;
  tags: FlvTag[];
}

const FLV_SIGNATURE = 'FLV';
const FLV_HEADER_SIZE = 9;
const TAG_HEADER_SIZE = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
const FLAG_AUDIO = 0x04;
const FLAG_VIDEO = 0x01;
const FLAG_FILTERED = 0x20; // encrypted tag (Adobe Access): we cannot remux it
const TAG_TYPE_BY_CODE: Readonly<Record<number, FlvTag['type']>> = { 8: 'audio', 9: 'video', 18: 'script' };
const TAG_CODE_BY_TYPE: Readonly<Record<FlvTag['type'], number>> = { audio: 8, video: 9, script: 18 };
const MAX_DATA_SIZE = 0xffffff; // DataSize is UI24

/** Parses a whole FLV file. Every length is checked against the buffer before it is used. */
export function parseFlv(buf: Buffer): FlvFile {
  if (buf.length < FLV_HEADER_SIZE || buf.toString('latin1', 0, 3) !== FLV_SIGNATURE) {
    throw new MediaFormatError('FLV: missing "FLV" signature');
  }
  if (buf[3] !== 1) throw new MediaFormatError(`FLV: unsupported version ${buf[3]}`);
  const flags = buf[4]!;
  const dataOffset = buf.readUInt32BE(5);
  if (dataOffset < FLV_HEADER_SIZE || dataOffset + PREVIOUS_TAG_SIZE_BYTES > buf.length) {
    throw new MediaFormatError(`FLV: header DataOffset ${dataOffset} is invalid for a ${buf.length}-byte file`);
  }
  if (buf.readUInt32BE(dataOffset) !== 0) throw new MediaFormatError('FLV: PreviousTagSize0 must be 0');

  const tags: FlvTag[] = [];
  let pos = dataOffset + PREVIOUS_TAG_SIZE_BYTES;
  while (pos < buf.length) {
    tags.push(readTag(buf, pos));
    pos += TAG_HEADER_SIZE + tags[tags.length - 1]!.data.length + PREVIOUS_TAG_SIZE_BYTES;
  }
  return { hasAudio: (flags & FLAG_AUDIO) !== 0, hasVideo: (flags & FLAG_VIDEO) !== 0, tags };
}

function readTag(buf: Buffer, pos: number): FlvTag {
  if (pos + TAG_HEADER_SIZE > buf.length) {
    throw new MediaFormatError(`FLV: truncated tag header at offset ${pos} (${buf.length - pos} bytes left)`);
  }
  const typeByte = buf[pos]!;
  if (typeByte & FLAG_FILTERED) throw new MediaFormatError(`FLV: encrypted (filtered) tag at offset ${pos}`);
  const type = TAG_TYPE_BY_CODE[typeByte & 0x1f];
  if (!type) throw new MediaFormatError(`FLV: unknown tag type ${typeByte & 0x1f} at offset ${pos}`);
  const dataSize = buf.readUIntBE(pos + 1, 3);
  // The extended byte holds bits 31..24; multiply instead of << so the result stays unsigned.
  const timestamp = buf[pos + 7]! * 0x1000000 + buf.readUIntBE(pos + 4, 3);
  const dataStart = pos + TAG_HEADER_SIZE;
  const end = dataStart + dataSize + PREVIOUS_TAG_SIZE_BYTES;
  if (end > buf.length) {
    throw new MediaFormatError(
      `FLV: ${type} tag at offset ${pos} declares ${dataSize} data bytes but only ${buf.length - dataStart} bytes remain`,
    );
  }
  const previousTagSize = buf.readUInt32BE(dataStart + dataSize);
  if (previousTagSize !== TAG_HEADER_SIZE + dataSize) {
    throw new MediaFormatError(
      `FLV: PreviousTagSize ${previousTagSize} after the tag at offset ${pos} should be ${TAG_HEADER_SIZE + dataSize}`,
    );
  }
  return { type, timestamp, data: buf.subarray(dataStart, dataStart + dataSize) };
}

/** The 9-byte file header followed by PreviousTagSize0. */
export function encodeFlvHeader(opts: { hasAudio: boolean; hasVideo: boolean }): Buffer {
  const out = Buffer.alloc(FLV_HEADER_SIZE + PREVIOUS_TAG_SIZE_BYTES);
  out.write(FLV_SIGNATURE, 0, 'latin1');
  out[3] = 1;
  out[4] = (opts.hasAudio ? FLAG_AUDIO : 0) | (opts.hasVideo ? FLAG_VIDEO : 0);
  out.writeUInt32BE(FLV_HEADER_SIZE, 5);
  return out;
}

/** One tag plus its trailing PreviousTagSize, ready to append after encodeFlvHeader(). */
export function encodeFlvTag(tag: FlvTag): Buffer {
  if (tag.data.length > MAX_DATA_SIZE) throw new RangeError(`FLV tag body of ${tag.data.length} bytes exceeds UI24`);
  if (!Number.isInteger(tag.timestamp) || tag.timestamp < 0 || tag.timestamp > 0xffffffff) {
    throw new RangeError(`FLV timestamp ${tag.timestamp} is not a 32-bit unsigned integer`);
  }
  const out = Buffer.alloc(TAG_HEADER_SIZE + tag.data.length + PREVIOUS_TAG_SIZE_BYTES);
  out[0] = TAG_CODE_BY_TYPE[tag.type];
  out.writeUIntBE(tag.data.length, 1, 3);
  out.writeUIntBE(tag.timestamp % 0x1000000, 4, 3);
  out[7] = Math.floor(tag.timestamp / 0x1000000);
  tag.data.copy(out, TAG_HEADER_SIZE);
  out.writeUInt32BE(TAG_HEADER_SIZE + tag.data.length, TAG_HEADER_SIZE + tag.data.length);
  return out;
}
