import { TIMESTAMP_WRAP } from './constants.js';

const PES_HEADER_FIXED = 9; // start code prefix .. PES_header_data_length
const TIMESTAMP_SIZE = 5;
const MAX_PES_PACKET_LENGTH = 0xffff;
const MARKER_BITS_ALIGNED = 0x84; // '10', not scrambled, priority 0, data_alignment_indicator 1: each PES starts an AU
const FLAG_PTS = 0x80;
const FLAG_PTS_DTS = 0xc0;
const PREFIX_PTS_ONLY = 0b0010;
const PREFIX_PTS_WITH_DTS = 0b0011;
const PREFIX_DTS = 0b0001;
/** The largest header encodePesHeader writes (PTS and DTS). */
export const PES_HEADER_MAX_SIZE = PES_HEADER_FIXED + 2 * TIMESTAMP_SIZE;

/**
 * PES packet header (§2.4.3.6) with PTS and, only when it differs, DTS; timestamps in 90 kHz ticks.
 * Without payloadLength, PES_packet_length is 0 ("unbounded"), which §2.4.3.7 allows for video only.
 */
export function encodePesHeader(opts: { streamId: number; pts: number; dts?: number; payloadLength?: number }, scratch?: Buffer): Buffer {
  const withDts = opts.dts !== undefined && opts.dts !== opts.pts;
  const headerDataLength = withDts ? 2 * TIMESTAMP_SIZE : TIMESTAMP_SIZE;
  // `scratch` (at least PES_HEADER_MAX_SIZE bytes) is reused by a caller that copies the header away at once.
  const out = scratch ? scratch.subarray(0, PES_HEADER_FIXED + headerDataLength) : Buffer.allocUnsafe(PES_HEADER_FIXED + headerDataLength);
  out[0] = 0;
  out[1] = 0;
  out[2] = 1;
  out[3] = opts.streamId;
  const packetLength = opts.payloadLength === undefined ? 0 : 3 + headerDataLength + opts.payloadLength;
  out.writeUInt16BE(packetLength > MAX_PES_PACKET_LENGTH ? 0 : packetLength, 4);
  out[6] = MARKER_BITS_ALIGNED;
  out[7] = withDts ? FLAG_PTS_DTS : FLAG_PTS;
  out[8] = headerDataLength;
  writeTimestamp(out, PES_HEADER_FIXED, withDts ? PREFIX_PTS_WITH_DTS : PREFIX_PTS_ONLY, opts.pts);
  if (withDts) writeTimestamp(out, PES_HEADER_FIXED + TIMESTAMP_SIZE, PREFIX_DTS, opts.dts!);
  return out;
}

/** 33-bit timestamp split 3/15/15 with marker bits; bits 32..30 are taken by division since `>>` is 32-bit. */
export function writeTimestamp(out: Buffer, offset: number, prefix: number, ticks: number): void {
  const t = ((ticks % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
  const high = Math.floor(t / 2 ** 30);
  const low = t % 2 ** 30;
  out[offset] = (prefix << 4) | (high << 1) | 1;
  out[offset + 1] = low >>> 22;
  out[offset + 2] = (((low >>> 15) & 0x7f) << 1) | 1;
  out[offset + 3] = (low >>> 7) & 0xff;
  out[offset + 4] = ((low & 0x7f) << 1) | 1;
}
