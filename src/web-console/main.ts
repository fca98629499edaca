/// <reference lib="dom" />
// The web console: buckets, objects, LiveChannels with a live preview, OBS settings and the request log, over the
// emulator's JSON admin API (/-/…). Hash routes: #/ , #/b/<bucket>[/objects?prefix=…] , #/b/<bucket>/c/<channel>.
import { drawChart } from './chart.js';
import { api, ApiError, copyButton, copyField, enc, formatBytes, formatDateTime, formatTime, h, replace } from './dom.js';
import { CSS } from './style.js';

interface Bucket {
  name: string;
  acl: string;
  objects: number;
  bytes: number;
  channels: number;
}
interface ChannelSummary {
  name: string;
  description: string;
  status: string;
  state: 'Idle' | 'Live' | 'Disabled';
  fragDuration: number;
  fragCount: number;
  playlistName: string;
}
interface Segment {
  key: string;
  startMs: number;
  durationMs: number;
  publishId: number;
  size: number | null;
}
interface ChannelDetail extends ChannelSummary {
  bucket: string;
  acl: string;
  nowMs: number;
  playUrl: string;
  live: {
    connectedMs: number;
    remoteAddr: string;
    video: { width: number; height: number; frameRate: number; bandwidth: number; codec: string } | null;
    audio: { sampleRate: number; bandwidth: number; codec: string } | null;
    warnings: string[];
    publishId: number;
  } | null;
  history: Array<{ startMs: number; endMs: number | null; remoteAddr: string }>;
  segments: Segment[];
}
interface RequestRecord {
  id: string;
  time: number;
  method: string;
  url: string;
  operation?: string;
  status: number;
  code?: string;
  message?: string;
}
interface HlsInstance {
  loadSource(url: string): void;
  attachMedia(media: HTMLMediaElement): void;
  destroy(): void;
  on(event: string, listener: (event: string, data: { fatal?: boolean; details?: string; type?: string }) => void): void;
}
interface HlsConstructor {
  new (config?: Record<string, unknown>): HlsInstance;
  isSupported(): boolean;
  Events: { ERROR: string };
}
declare const Hls: HlsConstructor | undefined;

const CHART_WINDOW_MIN = 5;
const app = document.getElementById('app')!;
const style = document.createElement('style');
style.textContent = CSS;
document.head.append(style);

const main = h('main', { 'data-testid': 'main' });
const sidebar = h('nav', { class: 'sidebar' });
const requestsBody = h('tbody', { 'data-testid': 'request-log' });
const toast = h('div', { class: 'toast', role: 'status' });
replace(
  app,
  h(
    'header',
    {},
    h('a', { href: '#/', class: 'brand' }, 'oss-live-emulator'),
    h('span', { class: 'muted' }, ` console · ${location.host}`),
    toast,
  ),
  h('div', { class: 'layout' }, sidebar, main),
  h(
    'section',
    { class: 'requests' },
    h('h3', {}, 'Request log ', h('span', { class: 'muted' }, '(last OSS API requests: the fastest way to see why an SDK call fails)')),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['time', 'operation', 'status', 'code', 'message', 'request'].map((c) => h('th', {}, c)))),
        requestsBody,
      ),
    ),
  ),
);

function say(message: string, isError = false): void {
  toast.textContent = message;
  toast.className = `toast show${isError ? ' error' : ''}`;
  setTimeout(() => (toast.className = 'toast'), isError ? 6000 : 2500);
}

/** Runs an action, reporting an admin API refusal (OSS Code + Message) instead of throwing. */
async function attempt(what: string, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    say(err instanceof ApiError ? `${what}: ${err.code}: ${err.message}` : `${what}: ${String(err)}`, true);
    return false;
  }
}

// ---- routing and refresh

let refreshTimer: number | undefined;
let currentHls: HlsInstance | undefined;
let viewToken = 0;
/** The open view's refresh, for the event stream to call. */
let refreshNow: (() => void) | undefined;

function route(): void {
  viewToken++;
  refreshNow = undefined;
  window.clearInterval(refreshTimer);
  currentHls?.destroy();
  currentHls = undefined;
  const parts = location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/').map(decodeURIComponent);
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  void renderSidebar(parts[1]);
  if (parts[0] === 'b' && parts[1] && parts[2] === 'c' && parts[3]) void channelView(parts[1], parts[3]);
  else if (parts[0] === 'b' && parts[1] && parts[2] === 'objects') void objectsView(parts[1], params.get('prefix') ?? '');
  else if (parts[0] === 'b' && parts[1]) void bucketView(parts[1]);
  else homeView();
}
window.addEventListener('hashchange', route);

async function renderSidebar(selected?: string): Promise<void> {
  const { buckets } = await api<{ buckets: Bucket[] }>('GET', '/-/buckets');
  const name = h('input', {
    placeholder: 'new-bucket',
    'data-testid': 'new-bucket-name',
    required: true,
    pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]',
  });
  const acl = h(
    'select',
    { 'data-testid': 'new-bucket-acl' },
    h('option', { value: 'public-read' }, 'public-read'),
    h('option', { value: 'private' }, 'private'),
    h('option', { value: 'public-read-write' }, 'public-read-write'),
  );
  const form = h(
    'form',
    {
      class: 'stack',
      onsubmit: async (e) => {
        e.preventDefault();
        if (await attempt('PutBucket', () => api('POST', '/-/buckets', { name: name.value, acl: acl.value })))
          location.hash = `#/b/${enc(name.value)}`;
      },
    },
    name,
    acl,
    h('button', { type: 'submit', 'data-testid': 'create-bucket' }, 'Create bucket'),
  );
  replace(
    sidebar,
    h('h3', {}, 'Buckets'),
    h(
      'ul',
      { class: 'list' },
      ...buckets.map((b) =>
        h(
          'li',
          { class: b.name === selected ? 'active' : '' },
          h('a', { href: `#/b/${enc(b.name)}` }, b.name),
          h('span', { class: `badge ${b.acl}` }, b.acl),
        ),
      ),
    ),
    buckets.length === 0 && h('p', { class: 'muted' }, 'No bucket yet.'),
    form,
  );
}

function homeView(): void {
  replace(
    main,
    h('h2', {}, 'Welcome'),
    h('p', {}, 'Create a bucket on the left, then a LiveChannel in it. Or, from a terminal:'),
    h(
      'pre',
      {},
      'npm start -- sign-url --create --bucket demo-bucket --channel demo-channel\nnpm start -- push "<the rtmp url it printed>"',
    ),
    h('p', {}, 'Your SDK: endpoint ', h('code', {}, location.origin), ', the AccessKeyId/Secret the emulator printed at startup.'),
  );
}

// ---- a bucket: channels, settings

async function bucketView(bucket: string): Promise<void> {
  const token = viewToken;
  const list = h('div');
  const form = channelForm(bucket);
  const settings = bucketSettings(bucket);
  replace(
    main,
    h(
      'h2',
      {},
      bucket,
      ' ',
      h('a', { href: `#/b/${enc(bucket)}/objects`, class: 'small-link', 'data-testid': 'browse-objects' }, 'browse objects →'),
    ),
    h('section', {}, h('h3', {}, 'LiveChannels'), list),
    h('section', {}, h('h3', {}, 'New LiveChannel (PutLiveChannel)'), form),
    settings,
  );
  const refresh = async () => {
    if (token !== viewToken) return;
    const { channels } = await api<{ channels: ChannelSummary[] }>('GET', `/-/buckets/${enc(bucket)}/channels`);
    replace(
      list,
      channels.length === 0
        ? h('p', { class: 'muted' }, 'No channel yet.')
        : h(
            'table',
            {},
            h('thead', {}, h('tr', {}, ...['channel', 'state', 'FragDuration', 'FragCount', 'playlist', ''].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              ...channels.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('a', { href: `#/b/${enc(bucket)}/c/${enc(c.name)}`, 'data-testid': `channel-link-${c.name}` }, c.name)),
                  h('td', {}, stateBadge(c.state)),
                  h('td', {}, `${c.fragDuration} s`),
                  h('td', {}, c.fragCount),
                  h('td', {}, c.playlistName),
                  h('td', {}, channelActions(bucket, c, refresh)),
                ),
              ),
            ),
          ),
    );
  };
  refreshNow = () => void refresh().catch(() => undefined);
  await refresh();
  refreshTimer = window.setInterval(() => void refresh().catch(() => undefined), 3000);
}

function stateBadge(state: string): HTMLElement {
  return h('span', { class: `state ${state.toLowerCase()}`, 'data-testid': 'channel-state' }, state);
}

function channelActions(bucket: string, c: { name: string; status: string }, after: () => Promise<void>): HTMLElement {
  const path = `/-/buckets/${enc(bucket)}/channels/${enc(c.name)}`;
  return h(
    'span',
    { class: 'actions' },
    h(
      'button',
      {
        class: 'small',
        'data-testid': 'toggle-status',
        onclick: async () => {
          const status = c.status === 'enabled' ? 'disabled' : 'enabled';
          if (await attempt('PutLiveChannelStatus', () => api('PUT', `${path}/status`, { status }))) await after();
        },
      },
      c.status === 'enabled' ? 'Disable' : 'Enable',
    ),
    h(
      'button',
      {
        class: 'small danger',
        onclick: async () => {
          if (!confirm(`Delete LiveChannel ${c.name}? (its recorded objects stay)`)) return;
          if (await attempt('DeleteLiveChannel', () => api('DELETE', path))) await after();
        },
      },
      'Delete',
    ),
  );
}

function channelForm(bucket: string): HTMLElement {
  const field = (label: string, input: HTMLElement) => h('label', { class: 'field' }, h('span', {}, label), input);
  const name = h('input', { 'data-testid': 'new-channel-name', required: true, placeholder: 'cam' });
  const description = h('input', { placeholder: 'optional' });
  const status = h('select', {}, h('option', { value: 'enabled' }, 'enabled'), h('option', { value: 'disabled' }, 'disabled'));
  const fragDuration = h('input', { type: 'number', min: 1, max: 100, value: 2, 'data-testid': 'new-channel-frag-duration' });
  const fragCount = h('input', { type: 'number', min: 1, max: 100, value: 3 });
  const playlist = h('input', { value: 'playlist.m3u8' });
  const snapshot = h('input', { type: 'checkbox' });
  const interval = h('input', { type: 'number', min: 1, max: 100, value: 5 });
  return h(
    'form',
    {
      class: 'grid',
      onsubmit: async (e) => {
        e.preventDefault();
        const body = {
          name: name.value,
          description: description.value,
          status: status.value,
          fragDuration: Number(fragDuration.value),
          fragCount: Number(fragCount.value),
          playlistName: playlist.value,
          snapshot: snapshot.checked ? { destBucket: bucket, interval: Number(interval.value) } : undefined,
        };
        if (await attempt('PutLiveChannel', () => api('POST', `/-/buckets/${enc(bucket)}/channels`, body)))
          location.hash = `#/b/${enc(bucket)}/c/${enc(name.value)}`;
      },
    },
    field('Name', name),
    field('Description', description),
    field('Status', status),
    field('FragDuration (s)', fragDuration),
    field('FragCount', fragCount),
    field('PlaylistName', playlist),
    field('Snapshots (JPEG every Interval s)', h('span', { class: 'row' }, snapshot, interval)),
    h('button', { type: 'submit', 'data-testid': 'create-channel' }, 'Create channel'),
  );
}

function bucketSettings(bucket: string): HTMLElement {
  const acl = h(
    'select',
    { 'data-testid': 'bucket-acl' },
    ...['private', 'public-read', 'public-read-write'].map((a) => h('option', { value: a }, a)),
  );
  void api<{ buckets: Bucket[] }>('GET', '/-/buckets').then(
    ({ buckets }) => (acl.value = buckets.find((b) => b.name === bucket)?.acl ?? 'private'),
  );
  const origins = h('input', { value: '*', class: 'mono' });
  const methods = h('input', { value: 'GET,HEAD', class: 'mono' });
  return h(
    'section',
    {},
    h('h3', {}, 'Bucket settings'),
    h(
      'div',
      { class: 'row' },
      h('span', {}, 'ACL '),
      acl,
      h(
        'button',
        {
          class: 'small',
          'data-testid': 'save-acl',
          onclick: async () => {
            if (await attempt('PutBucketAcl', () => api('PUT', `/-/buckets/${enc(bucket)}/acl`, { acl: acl.value }))) {
              say(`ACL set to ${acl.value}`);
              void renderSidebar(bucket);
            }
          },
        },
        'Save ACL',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h('span', {}, 'CORS rule: origins '),
      origins,
      h('span', {}, ' methods '),
      methods,
      h(
        'button',
        {
          class: 'small',
          onclick: async () => {
            const body = {
              allowedOrigins: origins.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              allowedMethods: methods.value
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            };
            if (await attempt('PutBucketCors', () => api('PUT', `/-/buckets/${enc(bucket)}/cors`, body))) say('CORS rule saved');
          },
        },
        'Save CORS rule',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          class: 'small danger',
          onclick: async () => {
            if (!confirm(`Delete bucket ${bucket}? It must be empty.`)) return;
            if (await attempt('DeleteBucket', () => api('DELETE', `/-/buckets/${enc(bucket)}`))) location.hash = '#/';
          },
        },
        'Delete bucket',
      ),
    ),
  );
}

// ---- objects

async function objectsView(bucket: string, prefix: string): Promise<void> {
  const token = viewToken;
  const body = h('tbody', { 'data-testid': 'objects' });
  const more = h('div');
  const crumbs: HTMLElement[] = [h('a', { href: `#/b/${enc(bucket)}/objects` }, bucket)];
  let acc = '';
  for (const part of prefix.split('/').filter(Boolean)) {
    acc += `${part}/`;
    crumbs.push(h('span', {}, ' / '), h('a', { href: `#/b/${enc(bucket)}/objects?prefix=${enc(acc)}` }, part));
  }
  replace(
    main,
    h('h2', {}, 'Objects of ', ...crumbs),
    h('p', {}, h('a', { href: `#/b/${enc(bucket)}` }, '← channels and settings')),
    h('table', {}, h('thead', {}, h('tr', {}, ...['key', 'size', 'type', 'last modified', ''].map((c) => h('th', {}, c)))), body),
    more,
  );
  const load = async (marker: string) => {
    const page = await api<{
      prefixes: string[];
      objects: Array<{ key: string; size: number; contentType: string; lastModifiedMs: number; url: string }>;
      nextMarker: string | null;
    }>('GET', `/-/buckets/${enc(bucket)}/objects?prefix=${enc(prefix)}&marker=${enc(marker)}`);
    if (token !== viewToken) return;
    for (const p of page.prefixes) {
      body.append(
        h(
          'tr',
          {},
          h('td', { colspan: 5 }, '📁 ', h('a', { href: `#/b/${enc(bucket)}/objects?prefix=${enc(p)}` }, p.slice(prefix.length))),
        ),
      );
    }
    for (const o of page.objects) {
      const row = h(
        'tr',
        {},
        h('td', { class: 'mono' }, o.key.slice(prefix.length)),
        h('td', {}, formatBytes(o.size)),
        h('td', {}, o.contentType),
        h('td', {}, formatDateTime(o.lastModifiedMs)),
        h(
          'td',
          { class: 'actions' },
          h('a', { href: o.url, download: o.key.split('/').pop() ?? 'object', class: 'small-link' }, 'download'),
          h(
            'button',
            {
              class: 'small danger',
              onclick: async () => {
                if (await attempt('DeleteObject', () => api('DELETE', `/-/buckets/${enc(bucket)}/objects?key=${enc(o.key)}`))) row.remove();
              },
            },
            'delete',
          ),
        ),
      );
      body.append(row);
    }
    replace(more, page.nextMarker ? h('button', { onclick: () => void load(page.nextMarker!) }, 'More') : null);
    if (page.prefixes.length === 0 && page.objects.length === 0 && marker === '')
      body.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'Empty.')));
  };
  await load('');
}

// ---- a channel: status, preview, stat, chart, OBS, history, segments, VOD

async function channelView(bucket: string, channel: string): Promise<void> {
  const token = viewToken;
  const path = `/-/buckets/${enc(bucket)}/channels/${enc(channel)}`;
  const state = h('span');
  const actions = h('span');
  const video = h('video', { muted: true, autoplay: true, playsinline: true, controls: true, 'data-testid': 'preview' });
  video.muted = true;
  const playerNote = h('div', { class: 'muted small', 'data-testid': 'player-source' });
  const stat = h('div', { class: 'stat' });
  const warnings = h('div', { 'data-testid': 'warnings' });
  const canvas = h('canvas', { class: 'chart', 'data-testid': 'chart' });
  const history = h('tbody');
  const segments = h('tbody', { 'data-testid': 'segments' });
  const vod = h('div');
  const obs = obsPanel(path);
  let playing: string | undefined;
  let detail: ChannelDetail | undefined;

  const play = (url: string, label: string) => {
    // A private bucket's signed URL changes on every refresh (its Expires moves): the same object keeps playing.
    const what = `${label} ${url.split('?')[0]}`;
    if (playing === what) return;
    playing = what;
    currentHls?.destroy();
    currentHls = undefined;
    playerNote.textContent = `${label}: ${url.split('?')[0]}`;
    video.dataset.source = label;
    if (typeof Hls !== 'undefined' && Hls.isSupported()) {
      const hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 30, manifestLoadingRetryDelay: 1000 });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (!data.fatal) return;
        playerNote.textContent = `player error: ${data.type} ${data.details} (retrying)`;
        if (playing === what) playing = undefined; // the next refresh starts it again
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      currentHls = hls;
    } else {
      video.src = url; // Safari: native HLS
    }
    void video.play().catch(() => undefined);
  };

  replace(
    main,
    h('h2', {}, h('a', { href: `#/b/${enc(bucket)}` }, bucket), ' / ', channel, ' ', state, ' ', actions),
    h(
      'div',
      { class: 'columns' },
      h('section', { class: 'player' }, video, playerNote, warnings, stat),
      h('section', {}, h('h3', {}, 'Connect OBS'), obs),
    ),
    h(
      'section',
      {},
      h(
        'h3',
        {},
        `Bitrate and segment duration, last ${CHART_WINDOW_MIN} minutes `,
        h(
          'span',
          { class: 'legend' },
          h('i', { class: 'bar' }),
          'segment duration ',
          h('i', { class: 'line' }),
          'kbit/s ',
          h('i', { class: 'dash' }),
          'FragDuration',
        ),
      ),
      canvas,
    ),
    h('section', {}, h('h3', {}, 'VOD builder (PostVodPlaylist)'), vod),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        {},
        h('h3', {}, 'History (last 10 publishes)'),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'start'), h('th', {}, 'end'), h('th', {}, 'from'))), history),
      ),
      h(
        'section',
        {},
        h('h3', {}, 'Segments'),
        h(
          'div',
          { class: 'scroll short' },
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, 'object'), h('th', {}, 'start'), h('th', {}, 'duration'), h('th', {}, 'size'))),
            segments,
          ),
        ),
      ),
    ),
  );

  let vodBuilt = false;
  const refresh = async () => {
    if (token !== viewToken) return;
    const d = await api<ChannelDetail>('GET', `${path}?minutes=${CHART_WINDOW_MIN}`);
    if (token !== viewToken) return;
    detail = d;
    replace(state, stateBadge(d.state));
    replace(actions, channelActions(bucket, d, refresh));
    // The live playlist exists once the publish's first segment is written.
    const playlistReady = d.live !== null && d.segments.some((seg) => seg.publishId === d.live!.publishId);
    if (d.state === 'Live' && playlistReady && (!playing || video.dataset.source !== 'VOD')) play(d.playUrl, 'live');
    else if (d.state === 'Live' && !playlistReady && !playing) playerNote.textContent = 'Live: waiting for the first segment…';
    if (d.state !== 'Live' && !playing)
      playerNote.textContent =
        d.state === 'Disabled' ? 'Disabled: enable it to push.' : 'Idle: start a push (Connect OBS →) and the preview starts here.';
    const v = d.live?.video;
    const a = d.live?.audio;
    replace(
      stat,
      d.live
        ? h(
            'dl',
            { 'data-testid': 'stat' },
            h('dt', {}, 'connected'),
            h('dd', {}, `${formatTime(d.live.connectedMs)} from ${d.live.remoteAddr}`),
            h('dt', {}, 'video'),
            h('dd', {}, v ? `${v.codec} ${v.width}×${v.height} @ ${v.frameRate} fps, ${Math.round((v.bandwidth * 8) / 1000)} kbit/s` : '—'),
            h('dt', {}, 'audio'),
            h('dd', {}, a ? `${a.codec} ${a.sampleRate} Hz, ${Math.round((a.bandwidth * 8) / 1000)} kbit/s` : '—'),
          )
        : h('p', { class: 'muted' }, `FragDuration ${d.fragDuration} s, FragCount ${d.fragCount}, ${d.playlistName}; bucket ${d.acl}`),
    );
    replace(warnings, ...(d.live?.warnings ?? []).map((w) => h('div', { class: 'warning' }, '⚠ ', w)));
    drawChart(canvas, d.segments, d.fragDuration, CHART_WINDOW_MIN * 60_000, d.nowMs);
    replace(
      history,
      ...d.history.map((p) =>
        h(
          'tr',
          {},
          h('td', {}, formatDateTime(p.startMs)),
          h('td', {}, p.endMs ? formatDateTime(p.endMs) : 'live'),
          h('td', {}, p.remoteAddr),
        ),
      ),
    );
    replace(
      segments,
      ...d.segments
        .slice()
        .reverse()
        .map((s) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono' }, s.key),
            h('td', {}, formatTime(s.startMs)),
            h('td', {}, `${(s.durationMs / 1000).toFixed(3)} s`),
            h('td', {}, s.size === null ? '—' : formatBytes(s.size)),
          ),
        ),
    );
    if (!vodBuilt || d.segments.length > 0) renderVod();
    vodBuilt = true;
  };

  // The VOD builder: a timeline of the recorded segments, a span picked with two sliders, then PostVodPlaylist.
  const startInput = h('input', { type: 'range', 'data-testid': 'vod-start' });
  const endInput = h('input', { type: 'range', 'data-testid': 'vod-end' });
  const spanLabel = h('span', { class: 'mono' });
  const timeline = h('div', { class: 'timeline' });
  const vodResult = h('div', { 'data-testid': 'vod-result' });
  let lastRange = '';
  const renderVod = () => {
    const segs = detail?.segments ?? [];
    if (segs.length === 0) {
      replace(vod, h('p', { class: 'muted' }, 'Nothing recorded in the last minutes yet.'));
      lastRange = '';
      return;
    }
    const from = Math.floor(segs[0]!.startMs / 1000);
    const to = Math.ceil((segs.at(-1)!.startMs + segs.at(-1)!.durationMs) / 1000);
    const range = `${from}-${to}`;
    if (range === lastRange) return;
    const keepEnd = Number(endInput.value) === Number(endInput.max);
    lastRange = range;
    for (const input of [startInput, endInput]) {
      input.min = String(from);
      input.max = String(to);
    }
    if (!startInput.dataset.touched) startInput.value = String(from);
    if (!endInput.dataset.touched || keepEnd) endInput.value = String(to);
    replace(
      timeline,
      ...segs.map((s) =>
        h('i', {
          style: `left:${(((s.startMs / 1000 - from) / Math.max(1, to - from)) * 100).toFixed(2)}%;width:${Math.max(0.3, (s.durationMs / 1000 / Math.max(1, to - from)) * 100).toFixed(2)}%`,
          class: `p${s.publishId % 4}`,
          title: `${s.key} ${formatTime(s.startMs)} ${(s.durationMs / 1000).toFixed(1)} s`,
        }),
      ),
    );
    updateSpan();
    if (!vod.contains(timeline)) {
      replace(
        vod,
        timeline,
        h('div', { class: 'row' }, h('span', {}, 'from'), startInput, h('span', {}, 'to'), endInput),
        spanLabel,
        h(
          'div',
          { class: 'row' },
          h('button', { 'data-testid': 'build-vod', onclick: () => void buildVod() }, 'Build VOD playlist and play it'),
          h(
            'button',
            {
              class: 'small',
              onclick: () => {
                playing = undefined;
                if (detail?.state === 'Live') play(detail.playUrl, 'live');
              },
            },
            'Back to live',
          ),
        ),
        vodResult,
      );
    }
  };
  const updateSpan = () => {
    const s = Number(startInput.value);
    const e = Number(endInput.value);
    spanLabel.textContent = `${formatTime(s * 1000)} → ${formatTime(e * 1000)} (${Math.max(0, e - s)} s) · startTime=${s} endTime=${e}`;
  };
  for (const input of [startInput, endInput]) {
    input.addEventListener('input', () => {
      input.dataset.touched = '1';
      if (Number(startInput.value) >= Number(endInput.value))
        (input === startInput ? endInput : startInput).value = String(Number(input.value) + (input === startInput ? 1 : -1));
      updateSpan();
    });
  }
  const buildVod = async () => {
    const startTime = Number(startInput.value);
    const endTime = Number(endInput.value);
    await attempt('PostVodPlaylist', async () => {
      const result = await api<{ key: string; playUrl: string }>('POST', `${path}/vod`, { startTime, endTime });
      replace(
        vodResult,
        h(
          'p',
          {},
          'Wrote ',
          h('code', {}, result.key),
          ' · ',
          h('a', { href: result.playUrl, target: '_blank' }, 'playlist'),
          ' · playing it above.',
        ),
      );
      play(result.playUrl, 'VOD');
    });
  };

  refreshNow = () => void refresh().catch(() => undefined);
  await refresh();
  refreshTimer = window.setInterval(() => void refresh().catch(() => undefined), 2000);
}

function obsPanel(path: string): HTMLElement {
  const expiry = h(
    'select',
    { 'data-testid': 'obs-expiry' },
    h('option', { value: 3600 }, '1 hour'),
    h('option', { value: 86400 }, '1 day'),
    h('option', { value: 7 * 86400 }, '7 days'),
    h('option', { value: 30 * 86400 }, '30 days'),
  );
  const out = h('div', { class: 'stack' });
  const sign = async () => {
    await attempt('sign RTMP URL', async () => {
      const r = await api<{ url: string; obsServer: string; obsStreamKey: string; expires: number; fragDuration: number; ffmpeg: string }>(
        'POST',
        `${path}/rtmp-url`,
        { expiresInSec: Number(expiry.value) },
      );
      replace(
        out,
        copyField('OBS Server', r.obsServer, 'obs-server'),
        copyField('OBS Stream Key', r.obsStreamKey, 'obs-stream-key'),
        copyField('Signed RTMP URL (ffmpeg, push)', r.url, 'rtmp-url'),
        h('p', { class: 'muted small' }, `Accepted at connect until ${formatDateTime(r.expires * 1000)}; a running push may outlive it.`),
        copyField('ffmpeg', r.ffmpeg, 'ffmpeg-command'),
        h(
          'ul',
          { class: 'settings' },
          h(
            'li',
            {},
            'Settings → Stream: Service ',
            h('b', {}, 'Custom…'),
            ', paste Server and Stream Key as above (the URL split at its last "/").',
          ),
          h(
            'li',
            {},
            'Output → Encoder ',
            h('b', {}, 'x264 / H.264'),
            ' (HEVC and AV1 are refused: only H.264 + AAC, as OSS LiveChannel), audio ',
            h('b', {}, 'AAC'),
            '.',
          ),
          h(
            'li',
            {},
            'Output → Keyframe Interval ',
            h('b', {}, `${r.fragDuration} s or less`),
            ` (FragDuration ${r.fragDuration} s: a segment is cut at the first keyframe after it; a longer interval makes longer segments, warned above).`,
          ),
          h('li', {}, 'Rate control CBR; a bitrate your network sends in real time (e.g. 2500 kbit/s for 720p).'),
        ),
      );
    });
  };
  expiry.addEventListener('change', () => void sign());
  void sign();
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'row' },
      h('span', {}, 'URL valid for '),
      expiry,
      copyButton(() => (out.querySelector('[data-testid=rtmp-url]') as HTMLInputElement | null)?.value ?? '', 'Copy URL'),
    ),
    out,
  );
}

// ---- the request log

let lastRequestId = '';
async function pollRequests(): Promise<void> {
  try {
    const { requests } = await api<{ requests: RequestRecord[] }>('GET', `/-/requests?after=${enc(lastRequestId)}&limit=100`);
    for (const r of requests) {
      lastRequestId = r.id;
      requestsBody.prepend(
        h(
          'tr',
          { class: r.status >= 400 ? 'failed' : '' },
          h('td', {}, formatTime(r.time)),
          h('td', {}, r.operation ?? r.method),
          h('td', {}, r.status),
          h('td', {}, r.code ?? ''),
          h('td', {}, r.message ?? ''),
          h('td', { class: 'mono small', title: r.url }, `${r.method} ${r.url.length > 80 ? `${r.url.slice(0, 80)}…` : r.url}`),
        ),
      );
    }
    while (requestsBody.children.length > 200) requestsBody.lastElementChild?.remove();
  } catch {
    // The emulator restarting: try again on the next tick.
  }
}
window.setInterval(() => void pollRequests(), 2000);
void pollRequests();

// Emulator events (publish start/end, segments) refresh the view at once instead of waiting for the next poll.
try {
  const events = new EventSource('/-/events?type=publish-start,publish-end,segment-committed');
  let pending = false;
  events.onmessage = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      refreshNow?.();
    }, 200);
  };
  events.onerror = () => events.close();
} catch {
  // No event stream in this build: polling covers it.
}

route();
