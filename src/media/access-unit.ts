/** One coded frame between stages: FLV -> Annex B / ADTS -> TS muxer. Times are stream milliseconds. */
export interface AccessUnit {
  dts: number;
  pts: number;
  /** Video: an IDR / FLV keyframe. Audio frames are all independently decodable, so always true. */
  key: boolean;
  /** Annex B access unit (with AUD) or one ADTS frame. */
  data: Buffer;
}
