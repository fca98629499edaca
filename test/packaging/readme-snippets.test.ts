// The README's ali-oss set-up snippet ("save as setup-channel.mjs"), run as a user would: the code block copied out of
// README.md into a .mjs file, pointed at a test emulator (only the endpoint is replaced), run twice with node.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { ossClient, startTestEmulator } from '../helpers/emulator.js';
import { execFileAsync as run, readRepoFile, repoPath } from '../helpers/repo-files.js';

/** The first ```js block after `marker` in README.md. */
function codeBlockAfter(readme: string, marker: string): string {
  const from = readme.indexOf(marker);
  if (from === -1) throw new Error(`README.md no longer mentions ${marker}`);
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(from));
  if (!match) throw new Error(`no js code block after ${marker}`);
  return match[1]!;
}

describe('README snippets', () => {
  let emu: Emulator;
  const dir = repoPath('test-artifacts', 'readme-snippets');

  beforeAll(async () => {
    emu = await startTestEmulator();
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'setup-channel.mjs creates a public-read bucket and a channel, prints a play URL, and can be run again',
    { timeout: 60_000 },
    async () => {
      const readme = readRepoFile('README.md');
      const snippet = codeBlockAfter(readme, 'save as `setup-channel.mjs`');
      expect(snippet).toContain("endpoint: 'http://127.0.0.1:8080'");
      const file = join(dir, 'setup-channel.mjs');
      writeFileSync(file, snippet.replace("'http://127.0.0.1:8080'", JSON.stringify(emu.endpoint)));

      const first = await run(process.execPath, [file], { cwd: dir });
      const playUrl = /play URL: (\S+)/.exec(first.stdout)?.[1];
      expect(playUrl).toBe(`${emu.endpoint}/demo-bucket/demo-channel/playlist.m3u8`);
      const second = await run(process.execPath, [file], { cwd: dir });
      expect(second.stdout).toContain(`play URL: ${playUrl}`);

      const client = ossClient(emu, 'demo-bucket');
      expect((await client.getBucketACL('demo-bucket')).acl).toBe('public-read');
      const channel = await client.getChannel('demo-channel');
      expect(channel.data).toMatchObject({
        Status: 'enabled',
        Target: { FragDuration: '2', FragCount: '3', PlaylistName: 'playlist.m3u8' },
      });
    },
  );
});
