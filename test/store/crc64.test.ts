import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64Combine, crc64Of } from '../../src/store/crc64.js';

describe('CRC-64/ECMA (OSS x-oss-hash-crc64ecma)', () => {
  it('matches the published check values', () => {
    // CRC-64/XZ check value (RevEng catalogue), the algorithm OSS calls crc64ecma.
    expect(BigInt(crc64Of(Buffer.from('123456789'))).toString(16)).toBe('995dc9bbdf1939fa');
    expect(crc64Of(Buffer.alloc(0))).toBe('0');
  });

  it('gives the same value fed in pieces of any size as in one go', () => {
    const data = randomBytes(100_003);
    const whole = crc64Of(data);
    for (const piece of [1, 3, 7, 8, 9, 4096, 65_536]) {
      const crc = new Crc64();
      for (let i = 0; i < data.length; i += piece) crc.update(data.subarray(i, i + piece));
      expect(crc.digest()).toBe(whole);
    }
  });

  it('combines the CRCs of two pieces into the CRC of their concatenation', () => {
    for (const [a, b] of [
      [0, 5],
      [1, 1],
      [100, 8],
      [333, 100_000],
      [70_000, 1],
    ] as const) {
      const x = randomBytes(a);
      const y = randomBytes(b);
      expect(crc64Combine(crc64Of(x), crc64Of(y), y.length)).toBe(crc64Of(Buffer.concat([x, y])));
    }
    expect(crc64Combine('12345', crc64Of(Buffer.alloc(0)), 0)).toBe('12345');
  });
});
