import crypto from 'node:crypto';

/**
 * Compares a signature we computed (`expected`) with the one a client sent, in time independent of where they differ:
 * crypto.timingSafeEqual over the bytes. The expected signature's length is fixed by its algorithm (28 characters of
 * base64 HMAC-SHA1, 64 hex of HMAC-SHA256), which every client knows, so a length mismatch is answered at once (after
 * the same comparison on the expected bytes, so every call goes through timingSafeEqual): it reveals nothing secret.
 * Every signature check in src/auth goes through here; never compare signatures with ===.
 */
export function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  if (a.length !== b.length) {
    crypto.timingSafeEqual(a, a);
    return false;
  }
  return crypto.timingSafeEqual(a, b);
}
