/**
 * Test-side MPEG-TS reader, written independently of src/media/ts so tests do not check the muxer against itself.
 * Throws on anything structurally wrong (size, sync byte, PES start code).
 */
export interface TsPacket {
  pid: number;
  payloadUnitStart: boolean;
  adaptationFieldControl: number;
  continuityCounter: number;
  randomAccess: boolean;
  pcr?: number;
  payload: Buffer;
}

export interface Pes {
  pid: number;
  streamId: number;
  pts: number;
  dts: number;
  /** True when the DTS field was present in the header. */
  hasDts: boolean;
  randomAccess: boolean;
  pcr?: number;
  /** PES_packet_length as written (0 = unbounded). */
  packetLength: number;
  payload: Buffer;
}

export function readTsPackets(ts: Buffer): TsPacket[] {
  if (ts.length % 188 !== 0) throw new Error(`TS length ${ts.length} is not a multiple of 188`);
  const packets: TsPacket[] = [];
  for (let off = 0; off < ts.length; off += 188) {
    const p = ts.subarray(off, off + 188);
    if (p[0] !== 0x47) throw new Error(`missing sync byte at ${off}`);
    const afc = (p[3]! >> 4) & 3;
    let payloadStart = 4;
    let randomAccess = false;
    let pcr: number | undefined;
    if (afc & 2) {
      const afLength = p[4]!;
      if (afLength > 183) throw new Error(`adaptation_field_length ${afLength} at ${off}`);
      if (afLength > 0) {
        randomAccess = (p[5]! & 0x40) !== 0;
        if (p[5]! & 0x10) pcr = p[6]! * 2 ** 25 + p[7]! * 2 ** 17 + p[8]! * 2 ** 9 + p[9]! * 2 + (p[10]! >> 7);
      }
      payloadStart = 5 + afLength;
    }
    packets.push({
      pid: ((p[1]! & 0x1f) << 8) | p[2]!,
      payloadUnitStart: (p[1]! & 0x40) !== 0,
      adaptationFieldControl: afc,
      continuityCounter: p[3]! & 0x0f,
      randomAccess,
      ...(pcr !== undefined ? { pcr } : {}),
      payload: afc & 1 ? p.subarray(payloadStart) : Buffer.alloc(0),
    });
  }
  return packets;
}

/** Reassembles the PES packets of one PID (each starts at a payload_unit_start_indicator). */
export function readPes(packets: readonly TsPacket[], pid: number): Pes[] {
  const groups: { first: TsPacket; parts: Buffer[] }[] = [];
  for (const p of packets) {
    if (p.pid !== pid || p.adaptationFieldControl === 2) continue;
    if (p.payloadUnitStart) groups.push({ first: p, parts: [] });
    const current = groups[groups.length - 1];
    if (!current) throw new Error(`PID ${pid} payload before the first PES start`);
    current.parts.push(p.payload);
  }
  return groups.map(({ first, parts }) => parsePes(pid, Buffer.concat(parts), first));
}

function parsePes(pid: number, b: Buffer, first: TsPacket): Pes {
  if (b[0] !== 0 || b[1] !== 0 || b[2] !== 1) throw new Error(`PID ${pid}: PES start code missing`);
  const flags = b[7]!;
  const headerLength = b[8]!;
  const pts = readTimestamp(b, 9);
  const hasDts = (flags & 0xc0) === 0xc0;
  const packetLength = b.readUInt16BE(4);
  const payload = b.subarray(9 + headerLength, packetLength ? 6 + packetLength : b.length);
  return {
    pid,
    streamId: b[3]!,
    pts,
    dts: hasDts ? readTimestamp(b, 14) : pts,
    hasDts,
    randomAccess: first.randomAccess,
    ...(first.pcr !== undefined ? { pcr: first.pcr } : {}),
    packetLength,
    payload,
  };
}

export function readTimestamp(b: Buffer, off: number): number {
  return ((b[off]! >> 1) & 7) * 2 ** 30 + (b[off + 1]! << 22) + ((b[off + 2]! >> 1) << 15) + (b[off + 3]! << 7) + (b[off + 4]! >> 1);
}

/** PSI sections on a PID (one per packet, as our muxer writes them), with their CRC checked bit by bit. */
export function readSections(packets: readonly TsPacket[], pid: number): Buffer[] {
  return packets
    .filter((p) => p.pid === pid)
    .map((p) => {
      const start = 1 + p.payload[0]!; // pointer_field
      const length = 3 + (p.payload.readUInt16BE(start + 1) & 0x0fff);
      const section = p.payload.subarray(start, start + length);
      if (crcMpeg2Bitwise(section) !== 0) throw new Error(`PID ${pid}: section CRC mismatch`);
      return section;
    });
}

/** Bitwise CRC-32/MPEG-2; over a section including its CRC_32 field it yields 0. */
export function crcMpeg2Bitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    for (let bit = 7; bit >= 0; bit--) {
      const top = (crc >>> 31) ^ ((byte >> bit) & 1);
      crc = ((crc << 1) >>> 0) ^ (top ? 0x04c11db7 : 0);
      crc >>>= 0;
    }
  }
  return crc;
}

/** Number of ADTS frames in a PES payload, following each aac_frame_length; throws on a broken chain. */
export function countAdtsFrames(data: Buffer): number {
  let n = 0;
  for (let off = 0; off < data.length; n++) {
    if (data[off] !== 0xff || (data[off + 1]! & 0xf0) !== 0xf0) throw new Error(`ADTS sync lost at ${off}`);
    const frameLength = ((data[off + 3]! & 0x03) << 11) | (data[off + 4]! << 3) | (data[off + 5]! >> 5);
    if (frameLength < 7) throw new Error(`ADTS frame length ${frameLength}`);
    off += frameLength;
    if (off > data.length) throw new Error('ADTS frame runs past the PES');
  }
  return n;
}

/** nal_unit_type of each NAL unit in an Annex B byte stream. */
export function annexBNalTypes(data: Buffer): number[] {
  const types: number[] = [];
  for (let i = 0; i + 3 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      types.push(data[i + 3]! & 0x1f);
      i += 3;
    }
  }
  return types;
}
