import crypto from 'node:crypto';

/**
 * Compares two signatures in time independent of where they differ.
 * Both sides are hashed first so inputs of different lengths still reach timingSafeEqual
 * (which throws on unequal lengths) and the length itself leaks nothing.
 * Every signature check in src/auth goes through here; never compare signatures with ===.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = crypto.createHash('sha256').update(a, 'utf8').digest();
  const db = crypto.createHash('sha256').update(b, 'utf8').digest();
  return crypto.timingSafeEqual(da, db);
}
