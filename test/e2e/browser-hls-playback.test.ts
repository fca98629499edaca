// A browser player plays the live stream: hls.js in Debian's headless Chromium (driven by playwright-core) loads
// `http://127.0.0.1:<emu>/<bucket>/<channel>/playlist.m3u8` from a page on another origin while a looping publisher
// pushes in real time. Needs /usr/bin/chromium (`apt-get install -y --no-install-recommends chromium`, as .ci/run does):
// without it the test fails in CI and is skipped, with a warning, elsewhere.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator.js';
import { startPublisher, type Publisher } from '../../src/push/index.js';
import { ossClient, presignedUrl, startTestEmulator, uniqueBucket } from '../helpers/emulator.js';
import { FIXTURE_360P, createChannel, publishUrl, waitFor } from '../helpers/live.js';
import { startPlayerHarness, type PlayerHarness } from '../helpers/player-harness.js';
import { CHROMIUM_PATH, type PlayerState } from '../helpers/player-page.js';

const inCi = !!process.env.CI && process.env.CI !== 'false';
const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium && !inCi) {
  console.warn(
    `[browser] skipping hls.js playback: ${CHROMIUM_PATH} not found. ` +
      "Install Debian's Chromium with `apt-get install -y --no-install-recommends chromium` (or set CHROMIUM_PATH).",
  );
}

const CHANNEL = 'cam';
const FRAG_DURATION = 2;
const MIN_FRAGS = 3;
/** Media played after the first `playing` event. */
const MIN_PLAYED_S = 2.5;
const SCREENSHOT = join(tmpdir(), 'oss-live-emulator-hls-playback.png');

/** A response from the emulator as it came over the wire (a 304 revalidation stays a 304; header names lower-case). */
interface SeenResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
}

interface Player {
  page: Page;
  /** Uncaught exceptions and console errors (a refused request logs one too). */
  pageErrors: string[];
  failedRequests: string[];
  /** Every response from the emulator, in arrival order, read from the DevTools protocol. */
  responses(): SeenResponse[];
  state(): Promise<PlayerState>;
  /** Polls the page until `done` says so or hls.js reports a fatal error; the error says what the player saw. */
  waitUntil(done: (s: PlayerState) => boolean, what: string, timeoutMs?: number): Promise<PlayerState>;
}

describe.skipIf(!haveChromium && !inCi)('hls.js in headless Chromium plays a live channel', () => {
  let emu: Emulator;
  const publishers: Publisher[] = [];
  let harness: PlayerHarness | undefined;
  let pageOrigin: string;
  let context: BrowserContext | undefined;
  let publicBucket: string;
  let privateBucket: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI needs ${CHROMIUM_PATH}: .ci/run installs it with apt-get install chromium`);
    emu = await startTestEmulator();
    publicBucket = uniqueBucket('web');
    privateBucket = uniqueBucket('webpriv');
    for (const [bucket, acl] of [
      [publicBucket, 'public-read'],
      [privateBucket, 'private'],
    ] as const) {
      await createChannel(emu, bucket, CHANNEL, { fragDuration: FRAG_DURATION, fragCount: 3, acl });
      publishers.push(
        startPublisher({ url: publishUrl(emu, bucket, CHANNEL, { expiresIn: 600 }), flv: FIXTURE_360P, speed: 1, loop: true }),
      );
    }

    // The page's own origin: another port than the emulator's, so every playlist and segment request is cross-origin.
    harness = await startPlayerHarness();
    pageOrigin = harness.origin;
    context = harness.context;

    // A private bucket played with presigned URLs needs a CORS rule as much as a public one (the sign-url --create rule).
    await ossClient(emu, privateBucket).putBucketCORS(privateBucket, [
      { allowedOrigin: '*', allowedMethod: ['GET', 'HEAD'], allowedHeader: '*' },
    ] as never);

    await Promise.all(publishers.map((p) => p.started));
    // hls.js treats a 404 on the first playlist load as fatal: open players once each playlist lists a segment.
    for (const bucket of [publicBucket, privateBucket]) {
      await waitFor(() => (emu.state.segments(bucket).length > 0 ? true : undefined), 10_000, `a first segment in ${bucket}`);
    }
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(publishers.map((p) => p.stop().catch(() => {})));
    await emu?.close();
  });

  /** A new tab playing `src`; with `sign`, the page asks this test to presign each URL hls.js loads (xhrSetup). */
  async function openPlayer(src: string, sign?: (url: string) => string): Promise<Player> {
    const page = await context!.newPage();
    const pageErrors: string[] = [];
    const failedRequests: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(`${msg.text()} (${msg.location().url})`));
    page.on('requestfailed', (req) => failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`));
    // Wire-level status and headers: playwright reports a request Chromium revalidated (304) as the cached 200 with
    // the 304's headers, which would look like a 200 without Content-Type.
    const cdp = await context!.newCDPSession(page);
    await cdp.send('Network.enable');
    const urls = new Map<string, string>();
    const wire: Array<{ requestId: string; status: number; headers: Record<string, string> }> = [];
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.responseReceivedExtraInfo', (e) => {
      const headers = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      wire.push({ requestId: e.requestId, status: e.statusCode, headers });
    });
    const responses = (): SeenResponse[] =>
      wire
        .map((w) => ({ url: urls.get(w.requestId) ?? '', status: w.status, headers: w.headers }))
        .filter((r) => r.url !== '' && new URL(r.url).port === String(emu.httpPort));
    if (sign) await page.exposeFunction('ossPresign', sign);
    await page.goto(`${pageOrigin}/?src=${encodeURIComponent(src)}${sign ? '&sign' : ''}`);
    const state = (): Promise<PlayerState> => page.evaluate(() => (window as unknown as { playerState(): PlayerState }).playerState());
    const waitUntil = async (done: (s: PlayerState) => boolean, what: string, timeoutMs = 20_000): Promise<PlayerState> => {
      let last: PlayerState | undefined;
      try {
        return await waitFor(async () => ((last = await state()), last.fatal || done(last) ? last : undefined), timeoutMs, what);
      } catch (err) {
        const seen = { player: last, pageErrors, failedRequests, responses: responses().map((r) => `${r.status} ${r.url}`) };
        throw new Error(`${(err as Error).message}; ${JSON.stringify(seen)}`);
      }
    };
    return { page, pageErrors, failedRequests, responses, state, waitUntil };
  }

  const played = (s: PlayerState): number => (s.firstPlayingAt === null ? 0 : s.currentTime - s.firstPlayingAt);
  const isPlaying = (s: PlayerState): boolean => played(s) >= MIN_PLAYED_S && s.fragsLoaded >= MIN_FRAGS && s.videoWidth > 0;

  /** What every successful playback must show, whichever way its URLs were made. */
  function expectRealPlayback(s: PlayerState, player: Player, bucket: string): string {
    expect(s.hlsSupported).toBe(true);
    expect(s.fatal, JSON.stringify(s.errors)).toBeNull();
    expect(s.playError).toBeNull();
    expect(s.currentTime).toBeGreaterThan(2);
    expect(played(s)).toBeGreaterThanOrEqual(MIN_PLAYED_S);
    expect(s.decodedFrames).toBeGreaterThanOrEqual(50); // 2 s at 25 fps actually decoded, not skipped over by a seek
    expect({ width: s.videoWidth, height: s.videoHeight }).toEqual({ width: 640, height: 360 });
    expect(s.fragsLoaded).toBeGreaterThanOrEqual(MIN_FRAGS);
    expect(new Set(s.frags).size).toBe(s.frags.length); // each fragment once: the live window moves on
    for (const u of s.frags) expect(new URL(u).pathname).toMatch(new RegExp(`^/${bucket}/${CHANNEL}/\\d{13}\\.ts$`));
    expect(s.codecs).toMatch(/^avc1\.64[0-9a-f]{4},mp4a\.40\.2$/); // H.264 High + AAC-LC, as the fixture: Chromium decodes both
    // A real picture, not a black or uniform frame: testsrc2 is a colour pattern with hundreds of distinct colours.
    expect(s.frameColours, 'distinct colours in the current frame').toBeGreaterThanOrEqual(16);
    expect(player.pageErrors).toEqual([]);
    expect(player.failedRequests).toEqual([]);

    // What the browser got from the emulator: CORS for this page's origin on every response, OSS's content types.
    const wire = player.responses();
    const playlists = wire.filter((r) => new URL(r.url).pathname.endsWith('.m3u8'));
    const segments = wire.filter((r) => new URL(r.url).pathname.endsWith('.ts'));
    expect(playlists.length).toBeGreaterThanOrEqual(2); // live, no ENDLIST: hls.js reloads the playlist
    expect(segments.length).toBeGreaterThanOrEqual(MIN_FRAGS);
    expect(playlists.length + segments.length).toBe(wire.length);
    for (const r of wire) expect(r.headers['access-control-allow-origin'], r.url).toBe(pageOrigin);
    for (const r of segments) {
      expect(r.status, r.url).toBe(200); // each segment URL is new: never revalidated
      expect(r.headers['content-type'], r.url).toBe('video/MP2T');
    }
    // A playlist reloaded before it changed may be revalidated: Chromium sends If-None-Match, the emulator says 304.
    for (const r of playlists) {
      expect([200, 304], r.url).toContain(r.status);
      if (r.status === 200) expect(r.headers['content-type'], r.url).toBe('application/x-mpegURL');
      else expect(r.headers.etag, r.url).toMatch(/^"[0-9A-F]{32}"$/);
    }
    expect(playlists.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const revalidated = playlists.filter((r) => r.status === 304).length;
    return `played ${played(s).toFixed(1)} s to currentTime ${s.currentTime.toFixed(1)}, ${s.decodedFrames} frames, ${s.fragsLoaded} fragments, ${playlists.length} playlist loads (${revalidated} answered 304)`;
  }

  it('cannot play from another origin while the bucket has no CORS rule, as on real OSS', { timeout: 40_000 }, async () => {
    await ossClient(emu, publicBucket).deleteBucketCORS(publicBucket);
    const player = await openPlayer(`${emu.endpoint}/${publicBucket}/${CHANNEL}/playlist.m3u8`);
    const s = await player.waitUntil((st) => st.fatal !== null, 'hls.js to give up on the playlist');
    // The emulator served the playlist (public-read), without CORS headers: Chromium withheld it from the page.
    expect(s.fatal).toBe('networkError/manifestLoadError');
    expect(s.decodedFrames).toBe(0);
    const playlist = player.responses().find((r) => new URL(r.url).pathname.endsWith('.m3u8'))!;
    expect(playlist.status).toBe(200);
    expect(playlist.headers['access-control-allow-origin']).toBeUndefined();
    expect(player.pageErrors.join('\n')).toMatch(/blocked by CORS policy/);
    await player.page.close();
  });

  it('plays a public-read channel at 640x360 from another origin, fragment after fragment', { timeout: 40_000 }, async () => {
    // The rule a web player's bucket needs on OSS: its page's origin may GET (and HEAD) playlists and segments.
    await ossClient(emu, publicBucket).putBucketCORS(publicBucket, [
      { allowedOrigin: pageOrigin, allowedMethod: ['GET', 'HEAD'] },
    ] as never);
    const player = await openPlayer(`${emu.endpoint}/${publicBucket}/${CHANNEL}/playlist.m3u8`);
    const s = await player.waitUntil(isPlaying, 'hls.js to play the public channel');
    const summary = expectRealPlayback(s, player, publicBucket);
    await player.page.screenshot({ path: SCREENSHOT });
    console.info(`[browser] public: ${summary}; screenshot: ${SCREENSHOT}`);
    await player.page.close();
  });

  it('plays a private channel only when every request is presigned, not the playlist alone', { timeout: 40_000 }, async () => {
    const keyOf = (url: string): string => decodeURIComponent(new URL(url).pathname).slice(`/${privateBucket}/`.length);
    const signedPlaylist = presignedUrl(emu, privateBucket, `${CHANNEL}/playlist.m3u8`, { expires: 600 });

    // A presigned playlist URL alone: the playlist loads, but its relative segment URIs resolve without the query
    // (as on real OSS without `x-oss-process=hls/sign`), so the segments are refused and nothing plays. (hls.js would
    // skip ahead from one refused fragment to the next for some 10 s before a fatal error: the first refusal is enough.)
    const unsignedSegments = await openPlayer(signedPlaylist);
    const refused = await unsignedSegments.waitUntil((s) => s.errors.length > 0, 'a segment refusal');
    expect(refused.errors[0]).toMatchObject({ type: 'networkError', details: 'fragLoadError', code: 403 });
    expect(new URL(refused.errors[0]!.url!).search).toBe('');
    expect(refused.decodedFrames).toBe(0);
    const playlistResponse = unsignedSegments.responses().find((r) => new URL(r.url).pathname.endsWith('.m3u8'))!;
    expect(playlistResponse.status).toBe(200);
    // The refusal still carries CORS, so the page can read the 403 (without it the page sees only status 0).
    const segmentResponse = unsignedSegments.responses().find((r) => new URL(r.url).pathname.endsWith('.ts'))!;
    expect(segmentResponse.status).toBe(403);
    expect(segmentResponse.headers['access-control-allow-origin']).toBe(pageOrigin);
    await unsignedSegments.page.close();

    // The usual fix in an app: its backend presigns each URL the player is about to load (hls.js xhrSetup).
    const signedEach = await openPlayer(`http://localhost:${emu.httpPort}/${privateBucket}/${CHANNEL}/playlist.m3u8`, (url) =>
      presignedUrl(emu, privateBucket, keyOf(url), { expires: 600 }),
    );
    const s = await signedEach.waitUntil(isPlaying, 'hls.js to play the private channel with presigned URLs');
    console.info(`[browser] private, each URL presigned: ${expectRealPlayback(s, signedEach, privateBucket)}`);
    for (const r of signedEach.responses()) expect(new URL(r.url).searchParams.has('Signature'), r.url).toBe(true);
    await signedEach.page.close();
  });
});
