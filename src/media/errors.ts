/** Input bytes that do not follow the container/bitstream syntax (truncated tag, lying length, bad header). */
export class MediaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaFormatError';
  }
}

/** Well-formed input in a codec we do not remux (the live ingest refuses H.263/VP6/HEVC video with this). */
export class UnsupportedCodecError extends Error {
  constructor(
    message: string,
    /** Human-readable codec name, e.g. `Sorenson H.263 (codec id 2)`. */
    readonly codec: string,
  ) {
    super(message);
    this.name = 'UnsupportedCodecError';
  }
}
