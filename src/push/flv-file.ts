/** One FLV tag as read from a file: type 8 audio, 9 video, 18 script data. */
export interface FlvFileTag {
  type: number;
  /** ms, 32 bits (24-bit field + extension byte). */
  timestamp: number;
  /** The tag body (a view into the file buffer). */
  body: Buffer;
}

/** Reads the tags of an FLV file; a truncated last tag (an interrupted recording) is dropped. */
export function readFlvTags(flv: Buffer): FlvFileTag[] {
  if (flv.length < 9 || flv.toString('latin1', 0, 3) !== 'FLV') throw new Error('not an FLV file');
  const tags: FlvFileTag[] = [];
  let offset = flv.readUInt32BE(5) + 4; // header, then PreviousTagSize0
  while (offset + 11 <= flv.length) {
    const type = flv[offset]! & 0x1f; // upper bits: reserved + filter flag
    const size = flv.readUIntBE(offset + 1, 3);
    const timestamp = (flv.readUIntBE(offset + 4, 3) | (flv[offset + 7]! << 24)) >>> 0;
    const start = offset + 11;
    if (start + size > flv.length) break;
    tags.push({ type, timestamp, body: flv.subarray(start, start + size) });
    offset = start + size + 4;
  }
  return tags;
}
