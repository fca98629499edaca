// Issue 14 item 6: x-oss-forbid-overwrite is decided inside the commit transaction, so a race has one winner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../src/emulator.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../../helpers/emulator.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('PutObject with x-oss-forbid-overwrite: true', () => {
  it('20 concurrent creates of one new key: exactly one 200, the others 409 FileAlreadyExists, the winner’s bytes kept', async () => {
    const bucket = uniqueBucket('forbid');
    await ossClient(emu).putBucket(bucket);
    const client = ossClient(emu, bucket);
    for (let round = 0; round < 3; round++) {
      const key = `race-${round}`;
      const bodies = Array.from({ length: 20 }, (_, i) => Buffer.alloc(256 * 1024, 65 + i));
      const results = await Promise.allSettled(
        bodies.map((body) => client.put(key, body, { headers: { 'x-oss-forbid-overwrite': 'true' } })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const l of lost) expect(l.reason).toMatchObject({ status: 409, code: 'FileAlreadyExists' });
      const winner = results.findIndex((r) => r.status === 'fulfilled');
      const stored = (await client.get(key)).content as Buffer;
      expect(stored.equals(bodies[winner]!)).toBe(true);
    }
  }, 60_000);

  it('still overwrites without the header, and refuses an existing key with it', async () => {
    const bucket = uniqueBucket('forbid2');
    await ossClient(emu).putBucket(bucket);
    const client = ossClient(emu, bucket);
    await client.put('k', Buffer.from('one'));
    await client.put('k', Buffer.from('two'));
    await expect(client.put('k', Buffer.from('three'), { headers: { 'x-oss-forbid-overwrite': 'true' } })).rejects.toMatchObject({
      status: 409,
      code: 'FileAlreadyExists',
    });
    expect(((await client.get('k')).content as Buffer).toString()).toBe('two');
  });
});
