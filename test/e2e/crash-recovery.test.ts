import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { Parser } from 'm3u8-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { spawnEmulator } from '../helpers/cli-process.js';
import { FIXTURE_360P, publishUrl, waitFor } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

const dataDir = mkdtempSync(join(tmpdir(), 'emu-crash-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kill -9 in the middle of a push', () => {
  it('restarts with SQLite and files in agreement, the history record closed and the channel idle', async () => {
    const spawned = await spawnEmulator(['--data-dir', dataDir, '--log-level', 'warn']);
    child = spawned.process;
    const { remote } = spawned;
    await ossClient(remote).putBucket('crash');
    await ossClient(remote, 'crash').putChannel('cam', {
      Status: 'enabled',
      Target: { Type: 'HLS', FragDuration: 1, FragCount: 3 },
    } as never);
    const pub = startPublisher({ url: publishUrl(remote, 'crash', 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 4, loop: true });
    pub.done.catch(() => undefined);
    await pub.started;
    const client = ossClient(remote, 'crash');
    await waitFor(
      async () => {
        const listed = await client.list({ prefix: 'cam/', 'max-keys': 100 } as never, {});
        return (listed.objects ?? []).filter((o) => o.name.endsWith('.ts')).length >= 3 ? true : undefined;
      },
      20_000,
      'three segments',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    pub.reset();

    const emu = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const { store } = internalsOf(emu).services; // rows vs files on disk: the invariant itself
      const segments = store.allSegments();
      expect(segments.length).toBeGreaterThanOrEqual(3);
      for (const s of segments) {
        const row = store.getObject('crash', s.key);
        expect(row, `object row for ${s.key}`).toBeDefined();
        // The whole segment is readable: every byte its row counts is on disk.
        expect((await buffer(store.openObject(row!))).length).toBe(row!.size);
      }
      // Every file on disk belongs to a row; the half-written segment left nothing behind.
      for (const shard of readdirSync(join(dataDir, 'objects'))) {
        for (const name of readdirSync(join(dataDir, 'objects', shard))) expect(store.isFileReferenced(`${shard}/${name}`)).toBe(true);
      }
      expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
      const records = store.recentPublishes('crash', 'cam', 10);
      expect(records).toHaveLength(1);
      expect(records[0]!.endMs).toBeGreaterThanOrEqual(records[0]!.startMs);
      const local = ossClient(emu, 'crash');
      const stat = (await local.getChannelStatus('cam')) as unknown as { data: Record<string, unknown> };
      expect(stat.data).toEqual({ Status: 'Idle' });
      const parser = new Parser();
      parser.push((await local.get('cam/playlist.m3u8')).content.toString());
      parser.end();
      const manifest = parser.manifest as unknown as { endList?: boolean; segments: Array<{ uri: string }> };
      expect(manifest.endList).toBe(true);
      for (const seg of manifest.segments) expect(store.getObject('crash', `cam/${seg.uri}`)).toBeDefined();
    } finally {
      await emu.close();
    }
  }, 60_000);
});
