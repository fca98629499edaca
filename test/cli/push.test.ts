import { afterEach, describe, expect, it } from 'vitest';
import type { RtmpServer } from '../../src/live/rtmp/index.js';
import { runPush } from '../../src/cli/push.js';
import { FIXTURE_360P_PATH, recordingHooks, startServer } from '../helpers/rtmp-server.js';

const opened: RtmpServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('push subcommand', () => {
  it('prints usage for --help and exits 0', async () => {
    const { io, out } = capture();
    expect(await runPush(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: oss-live-emulator push <rtmp-url>[\s\S]*--duration SECONDS/);
  });

  it.each([
    [[]],
    [['http://x/live/a']],
    [['rtmp://h/live/a', '--speed', 'fast']],
    [['rtmp://h/live/a', '--duration', '0']],
    [['rtmp://h/live/a', '--bogus']],
  ])('exits 2 on bad usage %j', async (argv) => {
    const { io, err } = capture();
    expect(await runPush(argv, io)).toBe(2);
    expect(err.join('\n')).toContain('Usage:');
  });

  it('publishes the file for --duration seconds and exits 0', async () => {
    const { hooks, publishes } = recordingHooks();
    const { port } = await startServer(hooks, opened);
    const { io, out } = capture();
    const code = await runPush(
      [`rtmp://127.0.0.1:${port}/live/chan?x=1`, '--file', FIXTURE_360P_PATH, '--speed', '0', '--duration', '2'],
      io,
    );
    expect(code).toBe(0);
    expect(out).toContain('publish started');
    const last = publishes[0]!.packets.at(-1)!;
    expect(last.timestamp).toBeLessThan(2000);
    expect(last.timestamp).toBeGreaterThan(1900);
  });

  it('exits 1 and prints the server description when refused', async () => {
    const { hooks } = recordingHooks(() => ({
      code: 'NetStream.Publish.BadName',
      description: 'The specified live channel does not exist.',
    }));
    const { port } = await startServer(hooks, opened);
    const { io, err } = capture();
    expect(await runPush([`rtmp://127.0.0.1:${port}/live/nope`, '--speed', '0'], io)).toBe(1);
    expect(err.join('\n')).toContain('NetStream.Publish.BadName: The specified live channel does not exist.');
  });
});
