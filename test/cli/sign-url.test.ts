import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { FIXTURE_360P, waitFor } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

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
    const { stdout } = await signUrl(
      '--create',
      '--bucket',
      'obs-bucket',
      '--channel',
      'my cam',
      '--endpoint',
      emu.endpoint,
      '--rtmp-base',
      `rtmp://127.0.0.1:${emu.rtmpPort}`,
      '--json',
    );
    const out = JSON.parse(stdout) as { url: string; obsServer: string; obsStreamKey: string; playUrl: string };
    expect(out.obsServer).toBe(`rtmp://127.0.0.1:${emu.rtmpPort}/obs-bucket/live`);
    // OBS joins Server and Stream Key with a '/', which is the full URL again.
    expect(`${out.obsServer}/${out.obsStreamKey}`).toBe(out.url);
    expect(out.playUrl).toBe(`${emu.endpoint}/obs-bucket/my%20cam/playlist.m3u8`);
    expect(emu.state.channel('obs-bucket', 'my cam')).toMatchObject({ status: 'enabled', fragDuration: 5, fragCount: 3 });
    // The quick path plays without a signature: --create makes the bucket public-read.
    expect(emu.state.bucket('obs-bucket')?.acl).toBe('public-read');
    // The bucket it created lets a browser player on any origin load playlists and segments (a CORS rule, as OSS needs).
    const pre = await fetch(`${emu.endpoint}/obs-bucket/my%20cam/playlist.m3u8`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    await publishFlv({ url: out.url, flv: FIXTURE_360P, speed: 0, durationMs: 1000 });
    await waitFor(() => (emu.state.history('obs-bucket', 'my cam', 10).length === 1 ? true : undefined));
  });

  it('with --acl private prints a signed play URL whose playlist and segments play unsigned; says what it did; re-runnable', async () => {
    const args = ['--create', '--acl', 'private', '--bucket', 'obs-private', '--channel', 'cam', '--endpoint', emu.endpoint];
    const first = await signUrl(...args, '--rtmp-base', `rtmp://127.0.0.1:${emu.rtmpPort}`);
    expect(first.stdout).toContain('created bucket obs-private (private)');
    expect(emu.state.bucket('obs-private')?.acl).toBe('private');
    const again = await signUrl(...args, '--json');
    const out = JSON.parse(again.stdout) as { url: string; playUrl: string; signedPlayUrl: string; acl: string };
    expect(out.acl).toBe('private');
    await publishFlv({ url: out.url.replace(/:\d+\//, `:${emu.rtmpPort}/`), flv: FIXTURE_360P, speed: 0, durationMs: 12_000 });
    await waitFor(() => (emu.state.history('obs-private', 'cam', 10).length === 1 ? true : undefined));
    expect((await fetch(out.playUrl)).status).toBe(403);
    const playlist = await (await fetch(out.signedPlayUrl)).text();
    const segments = playlist.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segments.length).toBeGreaterThan(0);
    for (const uri of segments) expect((await fetch(new URL(uri, out.signedPlayUrl))).status).toBe(200);
    expect(again.stderr).toBe('');
  }, 60_000);

  it('behind --rtmp-base alone, the play URL uses that host and the HTTP port', async () => {
    const { stdout } = await signUrl('--bucket', 'b', '--channel', 'c', '--rtmp-base', 'rtmp://10.1.2.3:19350', '--json');
    const out = JSON.parse(stdout) as { playUrl: string; endpoint: string };
    expect(out.endpoint).toBe('http://10.1.2.3:8080');
    expect(out.playUrl).toBe('http://10.1.2.3:8080/b/c/playlist.m3u8');
  });

  it('leaves an existing channel as it is and refuses a missing --channel', async () => {
    await signUrl('--create', '--bucket', 'obs-bucket2', '--channel', 'c', '--endpoint', emu.endpoint, '--json');
    internalsOf(emu).services.store.setChannelStatus('obs-bucket2', 'c', 'disabled', Date.now());
    await signUrl('--create', '--bucket', 'obs-bucket2', '--channel', 'c', '--endpoint', emu.endpoint, '--json');
    expect(emu.state.channel('obs-bucket2', 'c')?.status).toBe('disabled');
    // An existing bucket is left as it is too (OSS answers PutBucket of an existing bucket with 200, unchanged).
    await signUrl('--create', '--acl', 'private', '--bucket', 'obs-kept', '--channel', 'c', '--endpoint', emu.endpoint, '--json');
    const again = await signUrl('--create', '--bucket', 'obs-kept', '--channel', 'c', '--endpoint', emu.endpoint);
    expect(again.stdout).toContain('bucket obs-kept exists (private): left as it is');
    expect(emu.state.bucket('obs-kept')?.acl).toBe('private');
    const err = (await signUrl('--bucket', 'b').catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('needs --bucket and --channel');
  });
});
