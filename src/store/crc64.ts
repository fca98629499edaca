/**
 * CRC-64/XZ, which OSS calls CRC64-ECMA (`x-oss-hash-crc64ecma`): reflected polynomial 0xC96C5795D7870F42,
 * initial value and final XOR all ones. Slicing-by-8 over two 32-bit halves (BigInt per byte would be ~100x slower).
 * Values travel as unsigned decimal strings, as OSS sends them.
 */
const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

/** tables[k*256 + n]: the CRC of byte n followed by k zero bytes; lo and hi halves apart. */
const LO = new Uint32Array(8 * 256);
const HI = new Uint32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  LO[n] = lo;
  HI[n] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let n = 0; n < 256; n++) {
    const plo = LO[(k - 1) * 256 + n]!;
    const phi = HI[(k - 1) * 256 + n]!;
    const idx = plo & 0xff;
    LO[k * 256 + n] = (((plo >>> 8) | (phi << 24)) ^ LO[idx]!) >>> 0;
    HI[k * 256 + n] = ((phi >>> 8) ^ HI[idx]!) >>> 0;
  }
}

/** A running CRC64 over bytes as they arrive. */
export class Crc64 {
  // Kept inverted (init ~0); digest() applies the final XOR.
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  update(buf: Uint8Array): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const end8 = buf.length - (buf.length % 8);
    for (; i < end8; i += 8) {
      lo ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
      hi ^= buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
      const nlo =
        LO[1792 + (lo & 0xff)]! ^
        LO[1536 + ((lo >>> 8) & 0xff)]! ^
        LO[1280 + ((lo >>> 16) & 0xff)]! ^
        LO[1024 + (lo >>> 24)]! ^
        LO[768 + (hi & 0xff)]! ^
        LO[512 + ((hi >>> 8) & 0xff)]! ^
        LO[256 + ((hi >>> 16) & 0xff)]! ^
        LO[hi >>> 24]!;
      const nhi =
        HI[1792 + (lo & 0xff)]! ^
        HI[1536 + ((lo >>> 8) & 0xff)]! ^
        HI[1280 + ((lo >>> 16) & 0xff)]! ^
        HI[1024 + (lo >>> 24)]! ^
        HI[768 + (hi & 0xff)]! ^
        HI[512 + ((hi >>> 8) & 0xff)]! ^
        HI[256 + ((hi >>> 16) & 0xff)]! ^
        HI[hi >>> 24]!;
      lo = nlo;
      hi = nhi;
    }
    for (; i < buf.length; i++) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ LO[idx]!;
      hi = (hi >>> 8) ^ HI[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC as OSS writes it: unsigned decimal. */
  digest(): string {
    return ((BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0)).toString();
  }
}

export const crc64Of = (buf: Uint8Array): string => new Crc64().update(buf).digest();

// ---- combine (zlib's crc32_combine, widened to 64 bits): CRC(A || B) from CRC(A), CRC(B) and len(B).

const MASK = (1n << 64n) - 1n;
const POLY = 0xc96c5795d7870f42n;

function gf2Times(mat: bigint[], vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec !== 0n) {
    if (vec & 1n) sum ^= mat[i]!;
    vec >>= 1n;
    i++;
  }
  return sum;
}

function gf2Square(square: bigint[], mat: bigint[]): void {
  for (let n = 0; n < 64; n++) square[n] = gf2Times(mat, mat[n]!);
}

/** The operator that appends `len` zero bytes to a (pre-conditioned) CRC, as 64 column vectors. */
function zerosOperator(len: number): bigint[] {
  const even: bigint[] = new Array<bigint>(64);
  const odd: bigint[] = new Array<bigint>(64);
  // The operator for one zero bit.
  odd[0] = POLY;
  let row = 1n;
  for (let n = 1; n < 64; n++) {
    odd[n] = row;
    row <<= 1n;
  }
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let op: bigint[] | undefined;
  const apply = (mat: bigint[]) => {
    op = op ? op.map((column) => gf2Times(mat, column)) : [...mat];
  };
  let n = BigInt(len);
  do {
    gf2Square(even, odd);
    if (n & 1n) apply(even);
    n >>= 1n;
    if (n === 0n) break;
    gf2Square(odd, even);
    if (n & 1n) apply(odd);
    n >>= 1n;
  } while (n !== 0n);
  return op!;
}

/** Multipart parts mostly share one size: their operators are kept. */
const operators = new Map<number, bigint[]>();

/** CRC64 of the concatenation of two byte strings, given each one's CRC64 and the second one's length. */
export function crc64Combine(crc1: string, crc2: string, len2: number): string {
  if (len2 <= 0) return crc1;
  let op = operators.get(len2);
  if (!op) {
    op = zerosOperator(len2);
    if (operators.size >= 64) operators.delete(operators.keys().next().value!);
    operators.set(len2, op);
  }
  return ((gf2Times(op, BigInt(crc1)) ^ BigInt(crc2)) & MASK).toString();
}
