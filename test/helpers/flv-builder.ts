/** Test-side builders for FLV tag bodies, so segmenter rules can be driven with exact timestamps. */

/** AVCDecoderConfigurationRecord with 4-byte NAL lengths. */
export function avcSequenceHeader(sps: Buffer, pps: Buffer): Buffer {
  const record = Buffer.concat([
    Buffer.from([1, sps[1]!, sps[2]!, sps[3]!, 0xff, 0xe1]),
    u16(sps.length),
    sps,
    Buffer.from([1]),
    u16(pps.length),
    pps,
  ]);
  return Buffer.concat([Buffer.from([0x17, 0, 0, 0, 0]), record]);
}

/** AVC NALU packet: `nals` are length-prefixed with 4 bytes; `cts` is the signed composition offset in ms. */
export function avcFrame(opts: { key: boolean; cts?: number; nals: Buffer[] }): Buffer {
  const header = Buffer.alloc(5);
  header[0] = (opts.key ? 0x10 : 0x20) | 7;
  header[1] = 1;
  header.writeIntBE(opts.cts ?? 0, 2, 3);
  return Buffer.concat([header, ...opts.nals.flatMap((n) => [u32(n.length), n])]);
}

/** A fake coded slice: the muxer never decodes, so only the NAL type matters. */
export function fakeSlice(key: boolean, size = 64): Buffer {
  const nal = Buffer.alloc(size, 0xab);
  nal[0] = key ? 0x65 : 0x41;
  return nal;
}

/** AudioSpecificConfig for AAC LC 44.1 kHz stereo (0x12 0x10) wrapped in an FLV AAC sequence header. */
export function aacSequenceHeader(asc: Buffer = Buffer.from([0x12, 0x10])): Buffer {
  return Buffer.concat([Buffer.from([0xaf, 0x00]), asc]);
}

export function aacFrame(size = 32): Buffer {
  return Buffer.concat([Buffer.from([0xaf, 0x01]), Buffer.alloc(size, 0x21)]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
