// Issue 14 item 5: the disk fills during a live push. The write error is injected at the store's segment commit
// (no tmpfs can be mounted here): a segment is listed only once durable, and ENOSPC ends the publish with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { publishFlv } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl } from '../helpers/live.js';
import { internalsOf } from '../../src/testing/internal.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.close());

describe('disk full during a live push', () => {
  it('ends the publish (reason disk-full), lists only durable segments, closes the history record', async () => {
    const b = uniqueBucket('enospc');
    await createChannel(emu, b, 'cam', { fragDuration: 2, fragCount: 5 });
    const store = internalsOf(emu).services.store; // a failing disk: no client can stage that
    const commitSegment = store.commitSegment.bind(store);
    let commits = 0;
    store.commitSegment = async (...args: Parameters<typeof commitSegment>) => {
      if (++commits > 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return commitSegment(...args);
    };
    try {
      const ended = emu.waitFor({ type: 'publish-end' }, { timeoutMs: 30_000 });
      const outcome = await publishFlv({
        url: publishUrl(emu, b, 'cam', { expiresIn: 600 }),
        flv: FIXTURE_360P,
        speed: 2,
        loop: true,
        signal: AbortSignal.timeout(40_000),
      }).then(
        () => 'completed',
        (err: Error) => err.message,
      );
      expect(outcome).not.toBe('completed'); // a looping publisher ends only when the server drops it
      const [event] = await ended;
      expect(event).toMatchObject({ reason: 'disk-full' });
      await emu.waitForIdle(b, 'cam', { timeoutMs: 10_000 });
    } finally {
      store.commitSegment = commitSegment;
    }
    const client = ossClient(emu, b);
    const playlist = (await client.get('cam/playlist.m3u8')).content.toString();
    expect(playlist).toContain('#EXT-X-ENDLIST');
    const listed = [...playlist.matchAll(/^(\d+\.ts)$/gm)].map((m) => `cam/${m[1]}`);
    expect(listed).toHaveLength(3);
    for (const key of listed) expect((await client.head(key)).res.status).toBe(200); // nothing listed that 404s
    const history = await (
      client as unknown as { getChannelHistory(n: string): Promise<{ records: Array<{ EndTime: string }> }> }
    ).getChannelHistory('cam');
    expect(history.records).toHaveLength(1);
    expect(history.records[0]!.EndTime).toBeTruthy();
    const stat = await (client as unknown as { getChannelStatus(n: string): Promise<{ data: { Status: string } }> }).getChannelStatus(
      'cam',
    );
    expect(stat.data.Status).toBe('Idle');
  }, 60_000);
});
