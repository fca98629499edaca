// `push` against a running emulator: --file relative to the caller's directory or a bundled clip by name, the play URL
// printed once the publish starts, and a progress line (seconds sent, bitrate, segments written) while it runs.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { runPush } from '../../src/cli/push.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { createChannel, publishUrl } from '../helpers/live.js';
import { FIXTURE_360P_PATH } from '../helpers/fixtures.js';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), 'push-cwd-'));
  copyFileSync(FIXTURE_360P_PATH, join(dir, 'my clip.flv'));
  await createChannel(emu, 'push-public', 'cam', { acl: 'public-read', fragDuration: 1 });
  await createChannel(emu, 'push-private', 'cam', { fragDuration: 1 });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await emu.close();
});

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), cwd }, out, err };
}

describe('push prints where to watch and how it goes', () => {
  it('reads --file relative to the caller, prints the play URL and a progress line', async () => {
    const { io, out, err } = capture(dir);
    const url = publishUrl(emu, 'push-public', 'cam', { expiresIn: 600 });
    const code = await runPush([url, '--file', 'my clip.flv', '--duration', '6', '--endpoint', emu.endpoint], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toContain(join(dir, 'my clip.flv'));
    expect(out).toContain(`play: ${emu.endpoint}/push-public/cam/playlist.m3u8`);
    const progress = out.find((l) => l.startsWith('sent '));
    expect(progress).toMatch(/^sent \d+\.\d s, \d+\.\d\d Mbit\/s, \d+ segments written$/);
    expect(out.at(-1)).toMatch(/^done: [56]\.\d s of media/);
  }, 30_000);

  it('finds a bundled clip by name from any directory; a private bucket gets the signed (hls/sign) play URL', async () => {
    const { io, out, err } = capture(dir);
    const url = publishUrl(emu, 'push-private', 'cam', { expiresIn: 600 });
    const code = await runPush(
      [url, '--file', 'fixtures/640x360-25fps-h264-aac.flv', '--speed', '0', '--duration', '2', '--endpoint', emu.endpoint],
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const play = out.find((l) => l.startsWith('play: '))!;
    expect(play).toContain('x-oss-process=hls%2Fsign&OSSAccessKeyId=');
  });

  it('says which file it could not read', async () => {
    const { io, err } = capture(dir);
    expect(await runPush([publishUrl(emu, 'push-public', 'cam'), '--file', 'nope.flv'], io)).toBe(1);
    expect(err.join('\n')).toContain('cannot read nope.flv');
  });
});
