import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { avccToAnnexB, parseAvcDecoderConfig, parseSps, parseVideoTag } from '../../src/media/avc.js';
import { MediaFormatError } from '../../src/media/errors.js';
import { parseFlv } from '../../src/media/flv.js';
import { BitWriter, rbspToNal } from '../helpers/bit-writer.js';

function fixtureConfig(name: string) {
  const seq = parseFlv(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url))).tags.find((t) => t.type === 'video')!;
  const tag = parseVideoTag(seq.data);
  if (tag.codec !== 'avc' || tag.packetType !== 'sequence-header') throw new Error('fixture starts without an AVC sequence header');
  return parseAvcDecoderConfig(tag.payload);
}

describe('parseVideoTag', () => {
  it('reads a negative composition time as a signed 24-bit integer', () => {
    const tag = parseVideoTag(Buffer.from([0x27, 0x01, 0xff, 0xff, 0xd8, 0xaa]));
    expect(tag).toMatchObject({ codec: 'avc', frameType: 2, keyframe: false, packetType: 'nalu', compositionTimeMs: -40 });
    expect(parseVideoTag(Buffer.from([0x17, 0x01, 0x80, 0x00, 0x00]))).toMatchObject({ compositionTimeMs: -0x800000, keyframe: true });
    expect(parseVideoTag(Buffer.from([0x17, 0x01, 0x7f, 0xff, 0xff]))).toMatchObject({ compositionTimeMs: 0x7fffff });
  });

  it('distinguishes sequence header, NALU and end of sequence', () => {
    expect(parseVideoTag(Buffer.from([0x17, 0, 0, 0, 0, 1]))).toMatchObject({ packetType: 'sequence-header' });
    expect(parseVideoTag(Buffer.from([0x17, 2, 0, 0, 0]))).toMatchObject({ packetType: 'end-of-sequence' });
    expect(parseVideoTag(Buffer.from([0x57, 0]))).toMatchObject({ packetType: 'info-frame' });
    expect(() => parseVideoTag(Buffer.from([0x17, 3, 0, 0, 0]))).toThrow(/AVCPacketType 3/);
  });

  it('reports other codecs by name instead of failing', () => {
    expect(parseVideoTag(Buffer.from([0x22, 0xaa]))).toEqual({
      codec: 'unsupported',
      frameType: 2,
      keyframe: false,
      name: 'Sorenson H.263 (codec id 2)',
    });
    expect(parseVideoTag(Buffer.from([0x14, 0]))).toMatchObject({ codec: 'unsupported', name: 'On2 VP6 (codec id 4)' });
    expect(parseVideoTag(Buffer.from([0x90, 0x68, 0x76, 0x63, 0x31]))).toMatchObject({
      codec: 'unsupported',
      keyframe: true,
      name: 'Enhanced RTMP hvc1',
    });
  });

  it('rejects an AVC header shorter than 5 bytes', () => {
    expect(() => parseVideoTag(Buffer.from([0x17, 0x01, 0x00]))).toThrow(MediaFormatError);
    expect(() => parseVideoTag(Buffer.alloc(0))).toThrow(MediaFormatError);
  });
});

describe('parseAvcDecoderConfig', () => {
  it('reads the fixture record: 4-byte NAL lengths, one SPS, one PPS, High profile', () => {
    const config = fixtureConfig('640x360-25fps-h264-aac.flv');
    expect(config.nalLengthSize).toBe(4);
    expect(config.profileIdc).toBe(100);
    expect(config.sps).toHaveLength(1);
    expect(config.pps).toHaveLength(1);
    expect(config.sps[0]![0]! & 0x1f).toBe(7);
    expect(config.pps[0]![0]! & 0x1f).toBe(8);
  });

  it('rejects an SPS length that runs past the record', () => {
    const record = Buffer.from([1, 0x64, 0, 0x1e, 0xff, 0xe1, 0x00, 0x40, 0x67, 0x64]);
    expect(() => parseAvcDecoderConfig(record)).toThrow(/SPS of 64 bytes runs past the record/);
  });
});

describe('parseSps', () => {
  it('gets 640x360 and 25 fps from the 640x360 fixture (High profile, VUI timing)', () => {
    expect(parseSps(fixtureConfig('640x360-25fps-h264-aac.flv').sps[0]!)).toEqual({
      profileIdc: 100,
      levelIdc: 30,
      chromaFormatIdc: 1,
      width: 640,
      height: 360,
      frameRate: 25,
    });
  });

  it('gets 1280x720 from the 1280x720 fixture', () => {
    expect(parseSps(fixtureConfig('1280x720-25fps-h264-aac.flv').sps[0]!)).toMatchObject({ width: 1280, height: 720, frameRate: 25 });
  });

  // SPSs written by Debian's x264 (testsrc, 30 fps); the VUI's 32-bit timing fields contain emulation-prevention bytes.
  it.each([
    ['1080p 4:2:0, coded 1088 lines cropped by 8', '67640028acd940780227e5c044000003000400000300f03c60c658', 1920, 1080, 1],
    ['1080p 4:4:4 (profile 244): crop unit is 1 line', '67f40028919b280f0044fc4e0220000003002000000781e30632c0', 1920, 1080, 3],
    ['1366x768 4:2:2 (profile 122): 1376 cropped by 10', '677a0020bcd94056061e6f0110000003001000000303c0f1831960', 1366, 768, 2],
    ['720x576 interlaced (field pairs)', '6764001facd940b424d80880000003008000001e0f8b16cb', 720, 576, 1],
  ])('reads %s', (_name, hex, width, height, chromaFormatIdc) => {
    expect(parseSps(Buffer.from(hex, 'hex'))).toMatchObject({ width, height, chromaFormatIdc, frameRate: 30 });
  });

  it('applies field-doubled cropping and skips scaling lists and POC type 1 in a crafted SPS', () => {
    const rbsp = new BitWriter()
      .u(8, 100) // profile_idc: High
      .u(8, 0) // constraint flags
      .u(8, 40) // level_idc
      .ue(0) // seq_parameter_set_id
      .ue(1) // chroma_format_idc 4:2:0
      .ue(0)
      .ue(0)
      .u(1, 0) // bit depths, qpprime bypass
      .u(1, 1) // seq_scaling_matrix_present_flag
      .u(1, 1)
      .se(-8) // list 0: delta -8 makes nextScale 0 = "use default", ends the list
      .u(5, 0) // lists 1..5 absent
      .u(1, 1);
    for (let i = 0; i < 64; i++) rbsp.se(0); // list 6 (8x8): all 64 deltas read
    rbsp
      .u(1, 0) // list 7 absent
      .ue(0) // log2_max_frame_num_minus4
      .ue(1) // pic_order_cnt_type 1
      .u(1, 0)
      .se(-2)
      .se(1)
      .ue(2)
      .se(3)
      .se(-3)
      .ue(4)
      .u(1, 0) // max_num_ref_frames, gaps
      .ue(44) // 45 MBs = 720 px
      .ue(17) // 18 map units = 36 MB rows for field coding = 576 lines
      .u(1, 0)
      .u(1, 1) // frame_mbs_only_flag 0, mb_adaptive_frame_field_flag
      .u(1, 1) // direct_8x8_inference_flag
      .u(1, 1)
      .ue(4)
      .ue(4)
      .ue(0)
      .ue(2) // crop left 4, right 4, top 0, bottom 2
      .u(1, 1) // vui_parameters_present_flag
      .u(1, 1)
      .u(8, 255)
      .u(16, 16)
      .u(16, 11) // extended SAR
      .u(1, 0) // overscan
      .u(1, 1)
      .u(3, 5)
      .u(1, 0)
      .u(1, 1)
      .u(8, 1)
      .u(8, 1)
      .u(8, 1) // video signal type with colour description
      .u(1, 0) // chroma_loc_info
      .u(1, 1)
      .u(32, 1)
      .u(32, 50)
      .u(1, 1) // timing: 1 / 50 ticks -> 25 fps
      .trailing();
    const nal = Buffer.concat([Buffer.from([0x67]), rbspToNal(rbsp.toBuffer())]);
    expect(nal.includes(Buffer.from([0, 0, 3]))).toBe(true); // the parser must strip emulation prevention
    // Crop unit: 2 px horizontally; vertically SubHeightC 2 x (2 - frame_mbs_only_flag 0) = 4 lines.
    expect(parseSps(nal)).toEqual({
      profileIdc: 100,
      levelIdc: 40,
      chromaFormatIdc: 1,
      width: 720 - 8 * 2,
      height: 576 - 2 * 4,
      frameRate: 25,
    });
  });

  it('throws MediaFormatError, never reads out of bounds, on a truncated SPS', () => {
    const full = Buffer.from('67640028acd940780227e5c044000003000400000300f03c60c658', 'hex');
    expect(() => parseSps(full.subarray(0, 6))).toThrow(MediaFormatError);
    expect(() => parseSps(Buffer.from([0x68, 1, 2, 3]))).toThrow(/not 7/);
  });
});

describe('avccToAnnexB', () => {
  const sps = Buffer.from([0x67, 0x64, 0x00, 0x1e]);
  const pps = Buffer.from([0x68, 0xee, 0x3c, 0x80]);
  const config = { nalLengthSize: 4, sps: [sps], pps: [pps] };
  const avcc = (...nals: Buffer[]) => Buffer.concat(nals.flatMap((n) => [Buffer.from([0, 0, 0, n.length]), n]));

  it('prepends an AUD and the sequence header SPS/PPS to an IDR access unit', () => {
    const sei = Buffer.from([0x06, 0x05, 0x01]);
    const idr = Buffer.from([0x65, 0x88, 0x84]);
    expect(avccToAnnexB(avcc(sei, idr), config).toString('hex')).toBe(
      ['00000001' + '09f0', '00000001' + '6764001e', '00000001' + '68ee3c80', '00000001' + '060501', '00000001' + '658884'].join(''),
    );
  });

  it('adds only the AUD to a non-IDR unit and drops the source AUD', () => {
    const aud = Buffer.from([0x09, 0x30]);
    const slice = Buffer.from([0x41, 0x9a, 0x02]);
    expect(avccToAnnexB(avcc(aud, slice), config).toString('hex')).toBe('0000000109f0' + '00000001419a02');
  });

  it('keeps in-band SPS/PPS instead of inserting them twice', () => {
    const inband = Buffer.from([0x67, 0x42, 0x00, 0x0a]);
    const out = avccToAnnexB(avcc(inband, pps, Buffer.from([0x65, 0x01])), config);
    expect(out.toString('hex')).toBe('0000000109f0' + '000000016742000a' + '0000000168ee3c80' + '000000016501');
  });

  it('honours a 2-byte NAL length size', () => {
    const out = avccToAnnexB(Buffer.from([0, 2, 0x41, 0x01]), { ...config, nalLengthSize: 2 });
    expect(out.toString('hex')).toBe('0000000109f0' + '000000014101');
  });

  it('rejects a NAL length that runs past the packet', () => {
    expect(() => avccToAnnexB(Buffer.from([0, 0, 0, 9, 0x41, 0x01]), config)).toThrow(/NAL unit of 9 bytes/);
    expect(() => avccToAnnexB(Buffer.from([0, 0, 0, 2, 0x41, 0x01, 0, 0]), config)).toThrow(MediaFormatError);
  });
});
