import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'm3u8-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { startPublisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { spawnEmulator, type EmulatorProcess } from '../helpers/cli-process.js';
import { FIXTURE_360P, publishUrl, waitFor } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

const dataDir = mkdtempSync(join(tmpdir(), 'emu-term-'));
let spawned: EmulatorProcess | undefined;
afterAll(() => {
  spawned?.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGTERM while a publisher streams', () => {
  it('ends the publish, writes the last segment and the final playlist, then exits 0', async () => {
    spawned = await spawnEmulator(['--data-dir', dataDir, '--log-level', 'warn']);
    const { remote } = spawned;
    await ossClient(remote).putBucket('term');
    await ossClient(remote, 'term').putChannel('cam', {
      Status: 'enabled',
      Target: { Type: 'HLS', FragDuration: 2, FragCount: 3 },
    } as never);
    const pub = startPublisher({ url: publishUrl(remote, 'term', 'cam', { expiresIn: 600 }), flv: FIXTURE_360P, speed: 4, loop: true });
    const publisherEnd = pub.done.then(
      () => 'ended',
      () => 'dropped',
    );
    await pub.started;
    await waitFor(
      async () => {
        const listed = await ossClient(remote, 'term').list({ prefix: 'cam/', 'max-keys': 100 } as never, {});
        return (listed.objects ?? []).filter((o) => o.name.endsWith('.ts')).length >= 2 ? true : undefined;
      },
      20_000,
      'two segments',
    );
    const exited = new Promise<number | null>((resolve) => spawned!.process.once('exit', (code) => resolve(code)));
    spawned.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(spawned.output()).toContain('SIGTERM: closing publishers and finishing segments');
    await publisherEnd;

    const emu = await startTestEmulator({ inMemory: false, dataDir });
    try {
      const records = emu.state.history('term', 'cam', 10);
      expect(records).toHaveLength(1);
      expect(internalsOf(emu).services.store.openPublishes()).toEqual([]);
      const parser = new Parser();
      parser.push((await ossClient(emu, 'term').get('cam/playlist.m3u8')).content.toString());
      parser.end();
      const manifest = parser.manifest as unknown as { endList?: boolean; segments: Array<{ uri: string; duration: number }> };
      expect(manifest.endList).toBe(true);
      // The segment open at SIGTERM was closed and listed, shorter than FragDuration or not.
      const segments = emu.state.segments('term');
      expect(manifest.segments.at(-1)!.uri).toBe(segments.at(-1)!.key.slice('cam/'.length));
      // Publish time covers everything recorded: the record ends no earlier than it started, the segments exist.
      expect(records[0]!.endMs).toBeGreaterThanOrEqual(records[0]!.startMs);
      for (const s of segments) expect(emu.state.object('term', s.key)).toBeDefined();
    } finally {
      await emu.close();
    }
  }, 60_000);
});
