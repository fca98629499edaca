// Issue 14 item 2: paging with a delimiter must never repeat a CommonPrefix (oss2's iterators looped forever).
import type OSS from 'ali-oss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'c', '/', '/', '-', 'é', '😀', '~'];
function randomKeys(seed: number, count: number): string[] {
  const random = prng(seed);
  const keys = new Set<string>();
  while (keys.size < count) {
    const length = 1 + Math.floor(random() * 6);
    let key = '';
    for (let i = 0; i < length; i++) key += ALPHABET[Math.floor(random() * ALPHABET.length)];
    if (!key.startsWith('/')) keys.add(key);
  }
  return [...keys];
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The listing OSS gives in one page, computed independently of the emulator. */
function expected(keys: string[], prefix: string, delimiter: string): { objects: string[]; prefixes: string[] } {
  const objects: string[] = [];
  const prefixes = new Set<string>();
  for (const key of [...keys].sort(byteOrder)) {
    if (!key.startsWith(prefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (at === -1) objects.push(key);
    else prefixes.add(key.slice(0, at + delimiter.length));
  }
  return { objects, prefixes: [...prefixes].sort(byteOrder) };
}

interface Walk {
  objects: string[];
  prefixes: string[];
  pages: number;
}

async function walkV1(client: OSS, prefix: string, delimiter: string, maxKeys: number, limit: number): Promise<Walk> {
  const walk: Walk = { objects: [], prefixes: [], pages: 0 };
  let marker = '';
  for (;;) {
    if (++walk.pages > limit) throw new Error(`ListObjects did not terminate (max-keys ${maxKeys}, delimiter "${delimiter}")`);
    const page = await client.list({ prefix, delimiter, marker, 'max-keys': maxKeys }, {});
    walk.objects.push(...(page.objects ?? []).map((o) => o.name));
    walk.prefixes.push(...(page.prefixes ?? []));
    expect((page.objects ?? []).length + (page.prefixes ?? []).length).toBeLessThanOrEqual(maxKeys);
    if (!page.isTruncated) return walk;
    expect(page.nextMarker).toBeTruthy();
    marker = page.nextMarker!;
  }
}

async function walkV2(client: OSS, prefix: string, delimiter: string, maxKeys: number, limit: number): Promise<Walk> {
  const walk: Walk = { objects: [], prefixes: [], pages: 0 };
  let token: string | undefined;
  for (;;) {
    if (++walk.pages > limit) throw new Error(`ListObjectsV2 did not terminate (max-keys ${maxKeys}, delimiter "${delimiter}")`);
    const query: Record<string, unknown> = { prefix, delimiter, 'max-keys': maxKeys };
    if (token) query['continuation-token'] = token;
    const page = await client.listV2(query as OSS.ListV2ObjectsQuery, {});
    walk.objects.push(...(page.objects ?? []).map((o) => o.name));
    walk.prefixes.push(...(page.prefixes ?? []));
    if (!page.isTruncated) return walk;
    token = (page as unknown as { nextContinuationToken: string }).nextContinuationToken;
    expect(token).toBeTruthy();
  }
}

describe('ListObjects / ListObjectsV2 paging (property test)', () => {
  let emu: Emulator;
  let client: OSS;
  const seed = 1414;
  const keys = randomKeys(seed, 28);

  beforeAll(async () => {
    emu = await startTestEmulator();
    const bucket = uniqueBucket('paging');
    await ossClient(emu).putBucket(bucket);
    client = ossClient(emu, bucket);
    for (const key of keys) await client.put(key, Buffer.from(key));
  }, 60_000);
  afterAll(() => emu.close());

  it('pages after a whole CommonPrefix: oss2-style iteration at max-keys=1 ends, without duplicates', async () => {
    const walk = await walkV1(client, '', '/', 1, 200);
    const want = expected(keys, '', '/');
    expect(walk.prefixes).toEqual(want.prefixes);
    expect(walk.objects).toEqual(want.objects);
  });

  for (const [api, walkFn] of [
    ['ListObjects', walkV1],
    ['ListObjectsV2', walkV2],
  ] as const) {
    it(`${api}: concatenated pages == one big listing for every max-keys, delimiter on/off, several prefixes (seed ${seed})`, async () => {
      for (const delimiter of ['', '/', 'b']) {
        for (const prefix of ['', 'a', 'a/']) {
          const want = expected(keys, prefix, delimiter);
          const entries = want.objects.length + want.prefixes.length;
          for (let maxKeys = 1; maxKeys <= entries + 1; maxKeys++) {
            const walk = await walkFn(client, prefix, delimiter, maxKeys, entries + 2);
            const label = `max-keys ${maxKeys}, delimiter "${delimiter}", prefix "${prefix}"`;
            expect(walk.objects, label).toEqual(want.objects);
            expect(walk.prefixes, label).toEqual(want.prefixes);
            expect(new Set([...walk.objects, ...walk.prefixes]).size, label).toBe(entries);
            expect(walk.pages, label).toBe(Math.max(1, Math.ceil(entries / maxKeys)));
          }
        }
      }
    }, 180_000);
  }

  it('a marker inside a folder resumes after the whole folder', async () => {
    const page = await client.list({ delimiter: '/', marker: 'a/zzz', 'max-keys': 1000 }, {});
    const want = expected(keys, '', '/');
    const after = (s: string) => byteOrder(s, 'a/zzz') > 0 && !s.startsWith('a/');
    expect(page.prefixes ?? []).toEqual(want.prefixes.filter(after));
    expect((page.objects ?? []).map((o) => o.name)).toEqual(want.objects.filter(after));
  });
});
