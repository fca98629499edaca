import { MediaFormatError } from './errors.js';

/**
 * MSB-first bit reader with H.264 exp-Golomb codes. Every read is bounds-checked and throws MediaFormatError,
 * so a malformed SPS can never read past its buffer.
 */
export class BitReader {
  private bitPos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
  ) {}

  get bitsLeft(): number {
    return this.buf.length * 8 - this.bitPos;
  }

  bit(): number {
    if (this.bitPos >= this.buf.length * 8) throw new MediaFormatError(`${this.what}: unexpected end of data`);
    const byte = this.buf[this.bitPos >> 3]!;
    const value = (byte >> (7 - (this.bitPos & 7))) & 1;
    this.bitPos++;
    return value;
  }

  /** Up to 32 bits, unsigned (arithmetic instead of `<<` so 32-bit values stay positive). */
  bits(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 2 + this.bit();
    return value;
  }

  skip(n: number): void {
    if (n > this.bitsLeft) throw new MediaFormatError(`${this.what}: unexpected end of data`);
    this.bitPos += n;
  }

  /** ue(v): unsigned exp-Golomb. */
  ue(): number {
    let leadingZeros = 0;
    while (this.bit() === 0) {
      // 32 zeros would encode a value beyond 2^32 - 2, which no H.264 syntax element allows.
      if (++leadingZeros > 31) throw new MediaFormatError(`${this.what}: exp-Golomb code too long`);
    }
    return 2 ** leadingZeros - 1 + this.bits(leadingZeros);
  }

  /** se(v): signed exp-Golomb (1, -1, 2, -2, ... for codes 1, 2, 3, 4, ...). */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }
}

/** NAL unit payload -> RBSP: drops each emulation-prevention 0x03 that follows two zero bytes. */
export function nalToRbsp(nal: Buffer): Buffer {
  const out = Buffer.allocUnsafe(nal.length);
  let n = 0;
  let zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const byte = nal[i]!;
    if (zeros >= 2 && byte === 0x03) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out[n++] = byte;
  }
  return out.subarray(0, n);
}
