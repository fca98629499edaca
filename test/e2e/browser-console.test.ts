// The web console in Debian's headless Chromium (playwright-core): a newcomer opens http://<emulator>/, creates a
// bucket and a LiveChannel, pushes to the RTMP URL the "Connect OBS" panel shows (with the built-in publisher), sees the
// status go Live and the hls.js preview play (currentTime advancing, a non-blank frame), builds a VOD and plays it.
// Screenshots of each state go to test-artifacts/console/ (git-ignored). Needs /usr/bin/chromium, as the hls.js test.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher, type Publisher } from '../../src/push/index.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { FIXTURE_360P } from '../helpers/live.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/player-page.js';

const inCi = !!process.env.CI && process.env.CI !== 'false';
const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium && !inCi) console.warn(`[browser] skipping the console test: ${CHROMIUM_PATH} not found (apt-get install chromium).`);

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/console');
const BUCKET = 'console-demo';
const CHANNEL = 'cam';

/** What the preview <video> shows: playback position and whether the current frame has any picture in it. */
async function videoState(page: Page): Promise<{ currentTime: number; width: number; source: string; frameStdDev: number }> {
  return page.locator('[data-testid=preview]').evaluate((v: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const g = canvas.getContext('2d')!;
    let frameStdDev = 0;
    if (v.videoWidth > 0) {
      g.drawImage(v, 0, 0, 64, 36);
      const px = g.getImageData(0, 0, 64, 36).data;
      const lum: number[] = [];
      for (let i = 0; i < px.length; i += 4) lum.push(0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!);
      const mean = lum.reduce((a, b) => a + b, 0) / lum.length;
      frameStdDev = Math.sqrt(lum.reduce((a, b) => a + (b - mean) ** 2, 0) / lum.length);
    }
    return { currentTime: v.currentTime, width: v.videoWidth, source: v.dataset.source ?? '', frameStdDev };
  });
}

let describePage: (() => Promise<string>) | undefined;

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${(await describePage?.()) ?? ''}`);
}

describe.skipIf(!haveChromium && !inCi)('the web console in Chromium', () => {
  let emu: Emulator;
  let context: BrowserContext | undefined;
  let profileDir: string;
  let publisher: Publisher | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI needs ${CHROMIUM_PATH}: .ci/run installs it with apt-get install chromium`);
    mkdirSync(ARTIFACTS, { recursive: true });
    emu = await startTestEmulator();
    profileDir = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
      viewport: { width: 1280, height: 1000 },
      timeout: 20_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    describePage = async () =>
      ` (player: ${await page.locator('[data-testid=player-source]').textContent()}; video: ${JSON.stringify(await videoState(page))})`;
  }, 60_000);

  afterAll(async () => {
    await publisher?.stop().catch(() => undefined);
    await context?.close();
    await emu?.close();
    rmSync(profileDir, { recursive: true, force: true });
  });

  it('creates a bucket and a channel, previews the live push, builds a VOD and plays it', async () => {
    // A browser opening the endpoint gets the console; an SDK's ListBuckets at the same URL is unchanged (403 unsigned).
    await page.goto(`${emu.endpoint}/`);
    await page.getByText('Buckets').first().waitFor({ timeout: 20_000 });
    expect((await fetch(`${emu.endpoint}/`)).status).toBe(403);
    await page.screenshot({ path: join(ARTIFACTS, '01-empty.png') });

    await page.fill('[data-testid=new-bucket-name]', BUCKET);
    await page.selectOption('[data-testid=new-bucket-acl]', 'private'); // the preview must play presigned (hls/sign)
    await page.click('[data-testid=create-bucket]');
    await page.waitForURL(/#\/b\/console-demo$/);
    expect(emu.state.bucket(BUCKET)?.acl).toBe('private');

    await page.fill('[data-testid=new-channel-name]', CHANNEL);
    await page.fill('[data-testid=new-channel-frag-duration]', '2');
    await page.click('[data-testid=create-channel]');
    await page.waitForURL(/#\/b\/console-demo\/c\/cam$/);
    await expect.poll(() => page.locator('[data-testid=channel-state]').first().textContent(), { timeout: 15_000 }).toBe('Idle');
    expect(emu.state.channel(BUCKET, CHANNEL)).toMatchObject({ fragDuration: 2, status: 'enabled' });

    // The Connect OBS panel's Server + Stream Key join into the signed URL the built-in publisher pushes to.
    const server = await until('OBS server', async () => page.inputValue('[data-testid=obs-server]'));
    const streamKey = await page.inputValue('[data-testid=obs-stream-key]');
    const rtmpUrl = await page.inputValue('[data-testid=rtmp-url]');
    expect(`${server}/${streamKey}`).toBe(rtmpUrl);
    expect(await page.inputValue('[data-testid=ffmpeg-command]')).toContain(rtmpUrl);
    await page.screenshot({ path: join(ARTIFACTS, '02-channel-idle.png') });

    publisher = startPublisher({ url: rtmpUrl, flv: FIXTURE_360P, speed: 1, loop: true });
    await publisher.started;
    await expect.poll(() => page.locator('[data-testid=channel-state]').first().textContent(), { timeout: 20_000 }).toBe('Live');

    // The preview plays: time advances, the frame has a picture, the stat shows the stream.
    const first = await until(
      'the preview to play',
      async () => {
        const s = await videoState(page);
        return s.currentTime > 1 && s.width === 640 ? s : undefined;
      },
      60_000,
    );
    expect(first.source).toBe('live');
    const later = await until(
      'playback to advance',
      async () => {
        const s = await videoState(page);
        return s.currentTime > first.currentTime + 1.5 ? s : undefined;
      },
      30_000,
    );
    expect(later.frameStdDev).toBeGreaterThan(10); // the test pattern, not a black or grey frame
    await expect.poll(() => page.locator('[data-testid=stat]').textContent(), { timeout: 10_000 }).toContain('640×360');
    await expect.poll(() => page.locator('[data-testid=segments] tr').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    // The player's requests are OSS requests: they show in the request log (presigned playlist: GetSignedPlaylist).
    await expect.poll(() => page.locator('[data-testid=request-log]').textContent(), { timeout: 10_000 }).toContain('GetSignedPlaylist');
    await page.screenshot({ path: join(ARTIFACTS, '03-live.png') });

    // VOD of what was recorded so far: PostVodPlaylist through the console, then it plays.
    await expect.poll(() => page.locator('[data-testid=segments] tr').count(), { timeout: 20_000 }).toBeGreaterThan(3);
    await page.click('[data-testid=build-vod]');
    await expect.poll(() => page.locator('[data-testid=vod-result]').textContent(), { timeout: 10_000 }).toContain('Wrote');
    const vodKey = (await page.locator('[data-testid=vod-result] code').textContent())!;
    expect(emu.state.object(BUCKET, vodKey)?.contentType).toBe('application/x-mpegURL');
    const vod = await until(
      'the VOD to play',
      async () => {
        const s = await videoState(page);
        return s.source === 'VOD' && s.currentTime > 1.5 && s.frameStdDev > 10 ? s : undefined;
      },
      60_000,
    );
    expect(vod.width).toBe(640);
    await page.screenshot({ path: join(ARTIFACTS, '04-vod.png') });

    // The request log explains a failing SDK call: an unsigned GetObject on the private bucket.
    await fetch(`${emu.endpoint}/${BUCKET}/${CHANNEL}/missing.ts`);
    await expect
      .poll(() => page.locator('[data-testid=request-log] tr.failed').first().textContent(), { timeout: 10_000 })
      .toContain('AccessDenied');
    await page.screenshot({ path: join(ARTIFACTS, '05-request-log.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
