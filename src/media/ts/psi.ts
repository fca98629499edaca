import { crc32Mpeg2 } from './crc32.js';
import { TABLE_ID_PAT, TABLE_ID_PMT } from './constants.js';

export interface PmtStream {
  streamType: number;
  pid: number;
}

const SECTION_HEADER_SIZE = 8; // table_id .. last_section_number
const CRC_SIZE = 4;
const RESERVED_PID_BITS = 0xe000; // 3 reserved '1' bits in front of every 13-bit PID
const RESERVED_LENGTH_BITS = 0xf000; // 4 reserved '1' bits in front of every 12-bit length

/** program_association_section (§2.4.4.3) listing one program. */
export function encodePatSection(opts: { transportStreamId: number; version: number; programNumber: number; pmtPid: number }): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt16BE(opts.programNumber, 0);
  body.writeUInt16BE(RESERVED_PID_BITS | opts.pmtPid, 2);
  return encodeSection(TABLE_ID_PAT, opts.transportStreamId, opts.version, body);
}

/** TS_program_map_section (§2.4.4.8) without descriptors: H.264 and ADTS AAC need none. */
export function encodePmtSection(opts: { programNumber: number; version: number; pcrPid: number; streams: readonly PmtStream[] }): Buffer {
  const body = Buffer.alloc(4 + 5 * opts.streams.length);
  body.writeUInt16BE(RESERVED_PID_BITS | opts.pcrPid, 0);
  body.writeUInt16BE(RESERVED_LENGTH_BITS, 2); // program_info_length = 0
  opts.streams.forEach((s, i) => {
    body[4 + 5 * i] = s.streamType;
    body.writeUInt16BE(RESERVED_PID_BITS | s.pid, 5 + 5 * i);
    body.writeUInt16BE(RESERVED_LENGTH_BITS, 7 + 5 * i); // ES_info_length = 0
  });
  return encodeSection(TABLE_ID_PMT, opts.programNumber, opts.version, body);
}

/** Long-form section: header, body, CRC_32 over everything before it. */
function encodeSection(tableId: number, idExtension: number, version: number, body: Buffer): Buffer {
  const out = Buffer.alloc(SECTION_HEADER_SIZE + body.length + CRC_SIZE);
  const sectionLength = out.length - 3; // counts the bytes after the section_length field
  out[0] = tableId;
  out.writeUInt16BE(0xb000 | sectionLength, 1); // section_syntax_indicator 1, '0', reserved '11'
  out.writeUInt16BE(idExtension, 3);
  out[5] = 0xc0 | ((version & 0x1f) << 1) | 0x01; // reserved '11', version_number, current_next_indicator 1
  out[6] = 0; // section_number
  out[7] = 0; // last_section_number
  body.copy(out, SECTION_HEADER_SIZE);
  out.writeUInt32BE(crc32Mpeg2(out, 0, out.length - CRC_SIZE), out.length - CRC_SIZE);
  return out;
}
