import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { serveFlags } from '../../src/cli/serve-flags.js';

function captureStd() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  return { out: () => out.join(''), err: () => err.join('') };
}
afterEach(() => vi.restoreAllMocks());

describe('oss-live-emulator [command]', () => {
  it('answers --help with the commands and every serve flag with its variable, exit 0, even next to a bad flag', async () => {
    const std = captureStd();
    expect(await main(['--bogus', '--help'])).toBe(0);
    expect(std.out()).toMatch(/Usage:\n {2}oss-live-emulator \[serve\] \[flags\][\s\S]*sign-url[\s\S]*push/);
    for (const spec of serveFlags) {
      expect(std.out()).toContain(spec.flag);
      expect(std.out()).toContain(spec.env!);
    }
  });

  it.each([['sign-url'], ['push'], ['serve']])('answers %s --help from its own table, exit 0', async (name) => {
    const std = captureStd();
    expect(await main([name, '-h'])).toBe(0);
    expect(std.out()).toContain(`oss-live-emulator ${name === 'serve' ? '[serve]' : name}`);
    expect(std.out()).toContain('-h, --help');
  });

  it('refuses an unknown command or flag with exit 2 and says why on stderr', async () => {
    const std = captureStd();
    expect(await main(['publish'])).toBe(2);
    expect(std.err()).toMatch(/^unknown command "publish"\n\n[\s\S]*Usage:/);
    expect(await main(['--htp-port', '1'])).toBe(2);
    expect(std.err()).toContain('unknown flag --htp-port (see --help)');
    expect(await main(['serve', 'extra'])).toBe(2);
    expect(std.err()).toContain('unexpected argument "extra"');
    expect(await main(['sign-url', '--bucket', 'b'])).toBe(2);
    expect(std.err()).toContain('sign-url needs --bucket and --channel');
    expect(await main(['sign-url', '--bucket', 'b', '--channel', 'c', '--acl', 'world'])).toBe(2);
    expect(std.err()).toContain('--acl must be one of public-read, private, public-read-write, got "world"');
  });

  it('reads the serve flags for sign-url from the environment too (credentials), flags winning', async () => {
    const std = captureStd();
    process.env.OSS_EMULATOR_ACCESS_KEY_ID = 'env-key';
    try {
      expect(await main(['sign-url', '--bucket', 'b', '--channel', 'c', '--rtmp-port', '19350', '--json'])).toBe(0);
    } finally {
      delete process.env.OSS_EMULATOR_ACCESS_KEY_ID;
    }
    const out = JSON.parse(std.out()) as { url: string };
    expect(out.url).toMatch(/^rtmp:\/\/127\.0\.0\.1:19350\/b\/live\/c\?OSSAccessKeyId=env-key&/);
  });
});
