// Issue 14 item 15: OBS Stop -> Start. A new publish to the channel is accepted while the previous one still writes
// its last segment; the previous flush finishes behind it and its ENDLIST never lands on the new live playlist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_720P, createChannel, publishUrl } from '../helpers/live.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('publishing again right after a publish ends', () => {
  it('is accepted at once, three times in a row; every publish is recorded and the last playlist is the last publish’s', async () => {
    const b = uniqueBucket('again');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 50 });
    const url = () => publishUrl(emu, b, 'cam', { expiresIn: 600 });
    for (let i = 0; i < 3; i++) {
      // No waiting between pushes: the previous one is still flushing its last segment.
      await publishFlv({ url: url(), flv: FIXTURE_720P, speed: 0 });
    }
    await emu.waitForIdle(b, 'cam', { timeoutMs: 20_000 });
    const history = await (
      ossClient(emu, b) as unknown as { getChannelHistory(name: string): Promise<{ records: unknown[] }> }
    ).getChannelHistory('cam');
    expect(history.records).toHaveLength(3);
    const segments = emu.state.segments(b);
    const byPublish = new Map<number, number>();
    for (const s of segments) byPublish.set(s.publishId, (byPublish.get(s.publishId) ?? 0) + 1);
    expect([...byPublish.values()]).toHaveLength(3);
    expect(new Set(segments.map((s) => s.key)).size).toBe(segments.length); // no name reused
    const lastPublish = Math.max(...byPublish.keys());
    const playlist = (await ossClient(emu, b).get('cam/playlist.m3u8')).content.toString();
    const listed = [...playlist.matchAll(/^(\d+\.ts)$/gm)].map((m) => `cam/${m[1]}`);
    const lastKeys = segments.filter((s) => s.publishId === lastPublish).map((s) => s.key);
    expect(listed).toEqual(lastKeys);
    expect(playlist).toContain('#EXT-X-ENDLIST');
  }, 120_000);
});
