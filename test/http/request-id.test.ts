import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../src/http/request-id.js';

describe('newRequestId', () => {
  it('gives 24 upper-case hex characters, as OSS does, and never the same id twice', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^[0-9A-F]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // One process prefix, then a counter.
    expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBe(1);
  });
});
