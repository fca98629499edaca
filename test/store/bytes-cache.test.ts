import { describe, expect, it } from 'vitest';
import { BytesCache } from '../../src/store/bytes-cache.js';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);
const kept = (cache: BytesCache, ids: string[]) => ids.filter((id) => cache.get(id) !== undefined);

describe('BytesCache', () => {
  it('gives back what was set, refuses entries larger than its entry limit, forgets deleted and cleared ones', () => {
    const cache = new BytesCache(10, 100);
    const a = bytes(10, 7);
    cache.set('a', a);
    cache.set('big', bytes(11));
    expect(cache.get('a')).toBe(a);
    expect(cache.get('big')).toBeUndefined();
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', bytes(5));
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });

  it('stays within its total, evicting the oldest entry that was not read since', () => {
    const cache = new BytesCache(10, 30);
    for (const id of ['a', 'b', 'c']) cache.set(id, bytes(10));
    cache.get('a'); // a is read: b, unread, goes first
    cache.set('d', bytes(10));
    expect(kept(cache, ['a', 'b', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    // Every entry was just read (kept() reads them): the oldest goes when nothing was read since eviction passed it.
    cache.set('e', bytes(10));
    cache.set('f', bytes(10));
    expect(kept(cache, ['a', 'c', 'd', 'e', 'f']).length).toBe(3);
  });

  it('counts replaced and deleted bytes out of its total', () => {
    const cache = new BytesCache(10, 20);
    cache.set('a', bytes(10));
    cache.set('a', bytes(10)); // replaced, not counted twice
    cache.set('b', bytes(10));
    expect(kept(cache, ['a', 'b'])).toEqual(['a', 'b']);
    cache.delete('a');
    cache.set('c', bytes(10));
    expect(kept(cache, ['b', 'c'])).toEqual(['b', 'c']);
  });

  it('evicts even when every entry was read (each gets one second chance)', () => {
    const cache = new BytesCache(10, 30);
    for (let round = 0; round < 50; round++) {
      cache.set(`k${round}`, bytes(10));
      for (let i = Math.max(0, round - 5); i <= round; i++) cache.get(`k${i}`);
    }
    const ids = Array.from({ length: 50 }, (_, i) => `k${i}`);
    expect(kept(cache, ids).length).toBeLessThanOrEqual(3);
    expect(cache.get('k49')).toBeDefined();
  });
});
