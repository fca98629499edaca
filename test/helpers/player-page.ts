// The page and browser settings of the hls.js playback test (not a test file itself).
import { createRequire } from 'node:module';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium on a closed network: without the background-networking flags it keeps trying Google's hosts.
 * playwright adds --headless and its own fresh --user-data-dir (the profile dir given to launchPersistentContext).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** hls.js's prebuilt browser bundle from node_modules (a devDependency). */
export const HLS_JS_PATH = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');

/** What the page reports about playback (window.playerState()). */
export interface PlayerState {
  hlsSupported: boolean;
  fragsLoaded: number;
  /** URLs of the loaded fragments, in order. */
  frags: string[];
  /** The codecs hls.js found in the segments and gave MSE, e.g. `avc1.64001e,mp4a.40.2`. */
  codecs: string | null;
  errors: Array<{ type: string; details: string; fatal: boolean; url?: string; code?: number }>;
  /** `type/details` of the first fatal hls.js error. */
  fatal: string | null;
  playError: string | null;
  currentTime: number;
  /** currentTime at the first `playing` event. */
  firstPlayingAt: number | null;
  videoWidth: number;
  videoHeight: number;
  decodedFrames: number;
  /** Distinct colours (4 bits per channel) in the current frame drawn to a canvas; 0 before the first frame. */
  frameColours: number;
}

export interface PlayerPageOptions {
  /**
   * Load every playlist and segment from the URL that `await window.ossPresign(url)` returns (a function the test
   * exposes), through hls.js's xhrSetup: how an app plays a private bucket whose URLs its backend presigns.
   */
  signEachRequest?: boolean;
}

/** A bare page: a 640x360 muted video that hls.js attaches to `src` and plays as soon as the manifest is parsed. */
export function playerPage(src: string, options: PlayerPageOptions = {}): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>hls.js live</title><link rel="icon" href="data:,">
<style>html,body{margin:0;background:#000}video{display:block;width:640px;height:360px}</style></head>
<body><video id="v" muted playsinline></video>
<script src="/hls.min.js"></script>
<script>
const src = ${JSON.stringify(src).replace(/</g, '\\u003c')};
const signEachRequest = ${options.signEachRequest === true};
const video = document.getElementById('v');
const state = { hlsSupported: Hls.isSupported(), fragsLoaded: 0, frags: [], codecs: null, errors: [], fatal: null,
  playError: null, firstPlayingAt: null };
video.addEventListener('playing', () => { if (state.firstPlayingAt === null) state.firstPlayingAt = video.currentTime; });
const canvas = document.createElement('canvas');
canvas.width = 160; canvas.height = 90;
function frameColours() {
  if (video.readyState < 2) return 0;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < px.length; i += 4) seen.add((px[i] >> 4) << 8 | (px[i + 1] >> 4) << 4 | (px[i + 2] >> 4));
  return seen.size;
}
window.playerState = () => ({ ...state, frags: [...state.frags], errors: [...state.errors],
  currentTime: video.currentTime, videoWidth: video.videoWidth, videoHeight: video.videoHeight,
  decodedFrames: video.getVideoPlaybackQuality().totalVideoFrames, frameColours: frameColours() });
if (state.hlsSupported) {
  const hls = new Hls(signEachRequest ? { xhrSetup: async (xhr, url) => xhr.open('GET', await window.ossPresign(url), true) } : {});
  hls.on(Hls.Events.FRAG_LOADED, (_e, d) => { state.fragsLoaded++; state.frags.push(d.frag.url); });
  hls.on(Hls.Events.BUFFER_CODECS, (_e, d) => {
    const codecs = ['video', 'audio', 'audiovideo'].map((k) => d[k]?.codec).filter(Boolean);
    if (codecs.length) state.codecs = codecs.join(',');
  });
  hls.on(Hls.Events.ERROR, (_e, d) => {
    state.errors.push({ type: d.type, details: d.details, fatal: d.fatal, url: d.frag?.url ?? d.url, code: d.response?.code });
    if (d.fatal && state.fatal === null) state.fatal = d.type + '/' + d.details;
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => { video.play().catch((e) => { state.playError = String(e); }); });
  hls.loadSource(src);
  hls.attachMedia(video);
  window.hls = hls;
}
</script></body></html>`;
}
