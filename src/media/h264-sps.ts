import { BitReader, nalToRbsp } from './bit-reader.js';
import { MediaFormatError } from './errors.js';

/** What the HLS side needs from a sequence parameter set (ITU-T H.264 §7.3.2.1.1). */
export interface SpsInfo {
  profileIdc: number;
  levelIdc: number;
  chromaFormatIdc: number;
  /** Display size in pixels, after frame cropping. */
  width: number;
  height: number;
  /** From VUI timing_info (time_scale / (2 * num_units_in_tick)); undefined when the encoder left it out. */
  frameRate?: number;
}

const NAL_TYPE_SPS = 7;
// Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices.
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Parses an SPS NAL unit (with its 1-byte NAL header, emulation-prevention bytes still in). */
export function parseSps(nal: Buffer): SpsInfo {
  if (nal.length < 4 || (nal[0]! & 0x1f) !== NAL_TYPE_SPS) {
    throw new MediaFormatError(`SPS: NAL unit type ${nal.length ? nal[0]! & 0x1f : 'none'} is not 7`);
  }
  const r = new BitReader(nalToRbsp(nal.subarray(1)), 'SPS');
  const profileIdc = r.bits(8);
  r.skip(8); // constraint_set flags + reserved_zero_2bits
  const levelIdc = r.bits(8);
  r.ue(); // seq_parameter_set_id

  let chromaFormatIdc = 1; // 4:2:0 is implied for the non-high profiles
  let separateColourPlane = 0;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc > 3) throw new MediaFormatError(`SPS: chroma_format_idc ${chromaFormatIdc} out of range`);
    if (chromaFormatIdc === 3) separateColourPlane = r.bit();
    r.ue(); // bit_depth_luma_minus8
    r.ue(); // bit_depth_chroma_minus8
    r.bit(); // qpprime_y_zero_transform_bypass_flag
    if (r.bit()) skipScalingMatrix(r, chromaFormatIdc === 3 ? 12 : 8);
  }

  r.ue(); // log2_max_frame_num_minus4
  const picOrderCntType = r.ue();
  if (picOrderCntType === 0) {
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    r.bit(); // delta_pic_order_always_zero_flag
    r.se(); // offset_for_non_ref_pic
    r.se(); // offset_for_top_to_bottom_field
    const cycle = r.ue();
    if (cycle > 255) throw new MediaFormatError(`SPS: num_ref_frames_in_pic_order_cnt_cycle ${cycle} out of range`);
    for (let i = 0; i < cycle; i++) r.se();
  }
  r.ue(); // max_num_ref_frames
  r.bit(); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = r.ue() + 1;
  const heightInMapUnits = r.ue() + 1;
  const frameMbsOnly = r.bit();
  if (!frameMbsOnly) r.bit(); // mb_adaptive_frame_field_flag
  r.bit(); // direct_8x8_inference_flag

  // Crop offsets are in chroma-sample units, doubled vertically for field-coded streams (§7.4.2.1.1).
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaFormatIdc === 3 ? 1 : 2;
  const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (2 - frameMbsOnly);
  let cropX = 0;
  let cropY = 0;
  if (r.bit()) {
    cropX = (r.ue() + r.ue()) * cropUnitX; // left + right
    cropY = (r.ue() + r.ue()) * cropUnitY; // top + bottom
  }
  const width = widthInMbs * 16 - cropX;
  const height = (2 - frameMbsOnly) * heightInMapUnits * 16 - cropY;
  if (width <= 0 || height <= 0) throw new MediaFormatError(`SPS: cropping leaves ${width}x${height}`);

  const frameRate = r.bitsLeft > 0 && r.bit() ? readVuiFrameRate(r) : undefined;
  return { profileIdc, levelIdc, chromaFormatIdc, width, height, ...(frameRate ? { frameRate } : {}) };
}

/** scaling_list() entries are delta-coded; we only need to consume them (§7.3.2.1.1.1). */
function skipScalingMatrix(r: BitReader, lists: number): void {
  for (let i = 0; i < lists; i++) {
    if (!r.bit()) continue;
    const size = i < 6 ? 16 : 64;
    let last = 8;
    let next = 8;
    for (let j = 0; j < size && next !== 0; j++) {
      next = (last + r.se() + 256) % 256;
      if (next !== 0) last = next;
    }
  }
}

/** Reads VUI up to timing_info (Annex E.1.1); returns undefined when timing is absent or nonsensical. */
function readVuiFrameRate(r: BitReader): number | undefined {
  const EXTENDED_SAR = 255;
  if (r.bit() && r.bits(8) === EXTENDED_SAR) r.skip(32); // aspect_ratio_idc [+ sar_width, sar_height]
  if (r.bit()) r.bit(); // overscan_info_present -> overscan_appropriate
  if (r.bit()) {
    r.skip(4); // video_format, video_full_range_flag
    if (r.bit()) r.skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
  }
  if (r.bit()) {
    r.ue(); // chroma_sample_loc_type_top_field
    r.ue(); // chroma_sample_loc_type_bottom_field
  }
  if (!r.bit()) return undefined; // timing_info_present_flag
  const numUnitsInTick = r.bits(32);
  const timeScale = r.bits(32);
  if (numUnitsInTick === 0 || timeScale === 0) return undefined;
  // One frame is two field ticks (E.2.1).
  return timeScale / (2 * numUnitsInTick);
}
