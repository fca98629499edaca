import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { createChannel, FIXTURE_360P, publishUrl } from '../helpers/live.js';

const post = (emu: Emulator, path: string, body: unknown) =>
  fetch(`${emu.endpoint}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const keysOf = async (emu: Emulator, bucket: string) =>
  ((await ossClient(emu, bucket).list({ 'max-keys': 1000 }, {})).objects ?? []).map((o) => o.name).sort();

const emulators: Emulator[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const e of emulators) await e.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each([
  ['in memory', () => startTestEmulator()],
  [
    'on disk',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'oss-emu-checkpoint-'));
      dirs.push(dir);
      return startTestEmulator({ inMemory: false, dataDir: dir });
    },
  ],
])('checkpoints %s', (_label, start) => {
  it('restores objects (bytes and metadata), buckets and channels as they were when saved', async () => {
    const emu = await start();
    emulators.push(emu);
    const bucket = uniqueBucket('cp');
    const client = ossClient(emu, bucket);
    await client.putBucket(bucket);
    await client.put('keep.txt', Buffer.from('original'));
    await client.put('change.txt', Buffer.from('before'));
    await createChannel(emu, bucket, 'cam');
    const saved = await post(emu, '/-/snapshot', { name: 'seeded' });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ name: 'seeded', files: 2, createdAt: expect.any(String) });

    // A test messes the state up…
    await client.put('change.txt', Buffer.from('after'));
    await client.delete('keep.txt');
    await client.put('new.txt', Buffer.from('new'));
    await client.deleteChannel('cam');
    const other = uniqueBucket('cp-other');
    await ossClient(emu, other).putBucket(other);

    // …and the next one starts from the checkpoint.
    const restored = await post(emu, '/-/restore', { name: 'seeded' });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toEqual({ name: 'seeded', restored: true, endedPublishes: 0 });
    expect(await keysOf(emu, bucket)).toEqual(['change.txt', 'keep.txt']);
    expect((await client.get('keep.txt')).content.toString()).toBe('original');
    expect((await client.get('change.txt')).content.toString()).toBe('before');
    expect((await client.getChannel('cam')).res.status).toBe(200);
    await expect(ossClient(emu, other).getBucketInfo(other)).rejects.toMatchObject({ status: 404 });

    // Restoring twice works (the checkpoint's files are links, untouched by what came after).
    await client.put('keep.txt', Buffer.from('scribble'));
    await emu.restore('seeded');
    expect((await client.get('keep.txt')).content.toString()).toBe('original');
    expect(await (await fetch(`${emu.endpoint}/-/snapshot`)).json()).toMatchObject({ snapshots: [{ name: 'seeded', files: 2 }] });
  });

  it('ends a live publish before restoring (as reset does), and refuses unknown or unsafe names', async () => {
    const emu = emulators.at(-1)!;
    const bucket = uniqueBucket('cplive');
    await createChannel(emu, bucket, 'cam', { acl: 'public-read-write' });
    emu.checkpoint('with-channel');
    const publisher = startPublisher({ url: publishUrl(emu, bucket, 'cam'), flv: FIXTURE_360P, speed: 1, loop: true });
    await publisher.started;
    const since = emu.events.cursor();
    const res = await post(emu, '/-/restore', { name: 'with-channel' });
    expect(await res.json()).toMatchObject({ restored: true, endedPublishes: 1 });
    await publisher.done.catch(() => undefined);
    expect(emu.state.livePublishes()).toEqual([]);
    expect(emu.events.recent({ type: 'checkpoint-restored' })).toHaveLength(1);
    expect(emu.events.cursor()).toBeGreaterThan(since);

    for (const [name, status] of [
      ['nope', 404],
      ['../etc', 400],
      ['', 400],
    ] as const) {
      const r = await post(emu, '/-/restore', { name });
      expect(r.status, name).toBe(status);
      expect(await r.json()).toMatchObject({ code: status === 404 ? 'NotFound' : 'InvalidArgument' });
    }
    expect((await post(emu, '/-/snapshot', { name: 'a/b' })).status).toBe(400);
  });
});
