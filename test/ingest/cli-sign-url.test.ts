import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { FIXTURE_360P, waitFor } from '../helpers/live.js';

const run = promisify(execFile);
let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

const signUrl = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'sign-url', ...args], { cwd: join(import.meta.dirname, '../..') });

describe('sign-url, the OBS helper', () => {
  it('creates the bucket and channel on request and prints a URL that publishes as given', async () => {
    const { stdout } = await signUrl('--create', '--bucket', 'obs-bucket', '--channel', 'my cam', '--endpoint', emu.endpoint, '--rtmp-base', `rtmp://127.0.0.1:${emu.rtmpPort}`, '--json');
    const out = JSON.parse(stdout) as { url: string; obsServer: string; obsStreamKey: string; playUrl: string };
    expect(out.obsServer).toBe(`rtmp://127.0.0.1:${emu.rtmpPort}/obs-bucket/live`);
    // OBS joins Server and Stream Key with a '/', which is the full URL again.
    expect(`${out.obsServer}/${out.obsStreamKey}`).toBe(out.url);
    expect(out.playUrl).toBe(`${emu.endpoint}/obs-bucket/my%20cam/playlist.m3u8`);
    expect(emu.services.store.getChannel('obs-bucket', 'my cam')).toMatchObject({ status: 'enabled', fragDuration: 5, fragCount: 3 });
    await publishFlv({ url: out.url, flv: FIXTURE_360P, speed: 0, durationMs: 1000 });
    await waitFor(() => (emu.services.store.recentPublishes('obs-bucket', 'my cam', 10).length === 1 ? true : undefined));
  });

  it('leaves an existing channel as it is and refuses a missing --channel', async () => {
    await signUrl('--create', '--bucket', 'obs-bucket2', '--channel', 'c', '--endpoint', emu.endpoint, '--json');
    emu.services.store.setChannelStatus('obs-bucket2', 'c', 'disabled', Date.now());
    await signUrl('--create', '--bucket', 'obs-bucket2', '--channel', 'c', '--endpoint', emu.endpoint, '--json');
    expect(emu.services.store.getChannel('obs-bucket2', 'c')?.status).toBe('disabled');
    const err = (await signUrl('--bucket', 'b').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('needs --bucket and --channel');
  });
});
