import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { spawnEmulator } from '../helpers/cli-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'emu-put-crash-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 while PutObjects are in flight (group commit)', () => {
  it('keeps every acknowledged PutObject, small (inline) or large (file), with its bytes and ETag', async () => {
    const spawned = await spawnEmulator(['--data-dir', dataDir, '--log-level', 'warn']);
    child = spawned.process;
    await ossClient(spawned.remote).putBucket('crash');
    const client = ossClient(spawned.remote, 'crash', { timeout: 30_000 });
    const acked = new Map<string, { body: Buffer; etag: string }>();
    const body = (i: number) => Buffer.alloc(i % 5 === 0 ? 200_000 : 1000 + i, i % 251);
    let killed = false;
    const exited = new Promise((r) => child!.once('exit', r));
    await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const key = `obj-${i}`;
        try {
          const res = await client.put(key, body(i));
          // An answer read after the kill was still sent before it: it must hold too.
          acked.set(key, { body: body(i), etag: String((res.res.headers as Record<string, string>).etag) });
          // Kill in the middle of the flood: some answered, some committed but not answered, some still arriving.
          if (acked.size === 40) {
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          // cut off by the kill
        }
      }),
    );
    if (!killed) child.kill('SIGKILL');
    await exited;
    expect(acked.size).toBeGreaterThanOrEqual(40);

    const emu = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const local = ossClient(emu, 'crash');
      for (const [key, want] of acked) {
        const got = await local.get(key);
        expect((got.res.headers as Record<string, string>).etag, key).toBe(want.etag);
        expect(Buffer.compare(got.content as Buffer, want.body), key).toBe(0);
      }
    } finally {
      await emu.close();
    }
  }, 120_000);
});
