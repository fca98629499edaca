// hls.js recovers from an injected 404 on one live segment (issue 13, injected faults): a fault rule posted to
// /-/faults answers ONE segment GET with 404 NoSuchKey; the player reports a non-fatal fragLoadError for it, retries
// that fragment (hls.js's fragLoadPolicy retries 404s), gets it on the second try and keeps playing past it. Same harness as browser-hls-playback.test.ts (Debian Chromium via playwright-core).
import { existsSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher, type Publisher } from '../../src/push/index.js';
import { ossClient, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl, waitFor } from '../helpers/live.js';
import { startPlayerHarness, type PlayerHarness } from '../helpers/player-harness.js';
import { CHROMIUM_PATH, type PlayerState } from '../helpers/player-page.js';

const inCi = !!process.env.CI && process.env.CI !== 'false';
const haveChromium = existsSync(CHROMIUM_PATH);
const CHANNEL = 'cam';

describe.skipIf(!haveChromium && !inCi)('hls.js recovers from an injected 404 segment', () => {
  let emu: Emulator;
  let publisher: Publisher | undefined;
  let harness: PlayerHarness | undefined;
  let pageOrigin: string;
  let context: BrowserContext | undefined;
  let bucket: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI needs ${CHROMIUM_PATH}: .ci/run installs it with apt-get install chromium`);
    emu = await startTestEmulator();
    bucket = uniqueBucket('fault');
    await createChannel(emu, bucket, CHANNEL, { fragDuration: 2, fragCount: 3, acl: 'public-read' });
    publisher = startPublisher({ url: publishUrl(emu, bucket, CHANNEL, { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true });
    harness = await startPlayerHarness();
    pageOrigin = harness.origin;
    context = harness.context;
    await ossClient(emu, bucket).putBucketCORS(bucket, [{ allowedOrigin: pageOrigin, allowedMethod: ['GET', 'HEAD'] }] as never);
    await publisher.started;
    await waitFor(() => (emu.state.segments(bucket).length > 0 ? true : undefined), 10_000, 'a first segment');
  });

  afterAll(async () => {
    await harness?.close();
    await publisher?.stop().catch(() => {});
    await emu?.close();
  });

  it('retries the refused fragment and keeps advancing currentTime; the one-shot rule is consumed', { timeout: 60_000 }, async () => {
    const page = await context!.newPage();
    await page.goto(`${pageOrigin}/?src=${encodeURIComponent(`${emu.endpoint}/${bucket}/${CHANNEL}/playlist.m3u8`)}`);
    const state = (): Promise<PlayerState> => page.evaluate(() => (window as unknown as { playerState(): PlayerState }).playerState());
    let last: PlayerState | undefined;
    const until = (done: (s: PlayerState) => boolean, what: string, timeoutMs = 25_000): Promise<PlayerState> =>
      waitFor(async () => ((last = await state()), last.fatal || done(last) ? last : undefined), timeoutMs, what).catch((err: Error) => {
        throw new Error(`${err.message}; player: ${JSON.stringify(last)}`);
      });

    const before = await until((s) => s.firstPlayingAt !== null && s.currentTime > 1, 'hls.js to start playing');
    expect(before.fatal).toBeNull();
    // No network error before the fault; hls.js may already have reported a non-fatal media note such as
    // bufferSeekOverHole (it skips a sub-frame gap between the first audio and video samples), which is not ours.
    expect(before.errors.filter((e) => e.fatal || e.type === 'networkError')).toEqual([]);

    // One segment GET (never the playlist: keySuffix .ts) answers 404 NoSuchKey, once.
    const since = emu.events.cursor();
    const rule = {
      match: { operation: 'GetObject', bucket, keySuffix: '.ts' },
      action: { type: 'error', status: 404, code: 'NoSuchKey' },
      count: 1,
    };
    const posted = await fetch(`${emu.endpoint}/-/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    });
    expect(posted.status).toBe(201);
    const { id } = (await posted.json()) as { id: number };

    const [fired] = await emu.waitFor({ type: 'fault-injected', bucket }, { since, timeoutMs: 20_000 });
    expect(fired).toMatchObject({ faultId: id, action: 'error', operation: 'GetObject', status: 404, code: 'NoSuchKey' });
    const refusedKey = (fired as { key?: string }).key ?? '';
    expect(refusedKey).toMatch(new RegExp(`^${CHANNEL}/\\d{13}\\.ts$`));
    // count 1: applied once, then gone from the active list.
    const listed = (await (await fetch(`${emu.endpoint}/-/faults`)).json()) as { faults: Array<{ id: number }> };
    expect(listed.faults.map((f) => f.id)).not.toContain(id);

    // The player saw the 404 on exactly that fragment (CORS on the error answer lets it read the status), non-fatal.
    const saw404 = await until((s) => s.errors.some((e) => e.details === 'fragLoadError'), 'hls.js to report the refused fragment');
    const fragError = saw404.errors.find((e) => e.details === 'fragLoadError')!;
    expect(fragError).toMatchObject({ type: 'networkError', fatal: false, code: 404 });
    expect(new URL(fragError.url!).pathname).toBe(`/${bucket}/${refusedKey}`);

    // Playback goes on past the gap: currentTime advances well beyond where it was when the fault fired,
    // with fragments loaded after the refused one and no fatal error.
    const atFault = saw404.currentTime;
    const fragsAtFault = saw404.fragsLoaded;
    const after = await until(
      (s) => s.currentTime >= atFault + 4 && s.fragsLoaded >= fragsAtFault + 2,
      'playback to continue past the 404',
    );
    expect(after.fatal).toBeNull();
    expect(after.playError).toBeNull();
    expect(after.currentTime).toBeGreaterThanOrEqual(atFault + 4);
    // The retry of the refused fragment succeeded (the rule was used up): it is among the loaded fragments.
    expect(after.frags.map((u) => new URL(u).pathname)).toContain(`/${bucket}/${refusedKey}`);
    expect(after.errors.filter((e) => e.fatal)).toEqual([]);
    expect(emu.faults.list()).toEqual([]);
    console.info(
      `[browser] 404 on ${refusedKey} at currentTime ${atFault.toFixed(1)}; played on to ${after.currentTime.toFixed(1)}, ${after.fragsLoaded} fragments`,
    );
    await page.close();
  });
});
