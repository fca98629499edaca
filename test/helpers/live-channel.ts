/**
 * Shared setup of the LiveChannel tests: the emulator, the ali-oss client typed as it really behaves, V1-signed raw
 * requests for what ali-oss cannot send, XML comparison, a stand-in publisher, and store seeding.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { Emulator, EmulatorOptions } from '../../src/emulator.js';
import type { LivePublish, LiveStat } from '../../src/oss/live-publishes.js';
import { internalsOf } from '../../src/testing/internal.js';
import { ossClient, startTestEmulator, uniqueBucket } from './emulator.js';

export { uniqueBucket };
export { errorOf, signedRequest, type RawRequest, type RawResponse } from './signed-request.js';

// ---- ali-oss, typed after lib/rtmp.js (what each call really returns; @types/ali-oss differs)

export interface ChannelConf {
  Description?: string;
  Status?: string;
  Target?: { Type: string; FragDuration?: string; FragCount?: string; PlaylistName?: string };
}

interface Res {
  status: number;
  headers: Record<string, string>;
}

export interface ListedChannel {
  Name: string;
  Description: string;
  Status: string;
  LastModified: string;
  PublishUrls: string[];
  PlayUrls: string[];
}

export interface LiveChannelClient {
  putBucket(name: string): Promise<unknown>;
  putBucketACL(name: string, acl: string): Promise<unknown>;
  put(key: string, body: Buffer): Promise<{ res: Res }>;
  get(key: string): Promise<{ content: Buffer; res: Res }>;
  head(key: string): Promise<{ res: Res }>;
  putChannel(id: string, conf: ChannelConf): Promise<{ publishUrls: string[]; playUrls: string[]; res: Res }>;
  getChannel(id: string): Promise<{ data: Record<string, unknown>; res: Res }>;
  deleteChannel(id: string): Promise<{ res: Res }>;
  putChannelStatus(id: string, status: string): Promise<{ res: Res }>;
  getChannelStatus(id: string): Promise<{ data: Record<string, unknown>; res: Res }>;
  listChannels(
    query: Record<string, string | number>,
  ): Promise<{ channels: ListedChannel[]; nextMarker: string | null; isTruncated: boolean; res: Res }>;
  getChannelHistory(id: string): Promise<{ records: Array<{ StartTime: string; EndTime: string; RemoteAddr: string }>; res: Res }>;
  createVod(id: string, name: string, time: { startTime: number; endTime: number }): Promise<{ res: Res }>;
}

/** What ali-oss throws for an OSS error body. */
export interface AliOssError {
  status: number;
  code: string;
  ecCode?: string;
  message: string;
}

export interface LiveFixture {
  emu: Emulator;
  bucket: string;
  client: LiveChannelClient;
  /** `127.0.0.1:<port>` of the HTTP listener. */
  hostPort: string;
}

/** An emulator with one fresh bucket and an ali-oss client on it (IP endpoint, as users configure it locally). */
export async function startLiveFixture(options: EmulatorOptions = {}): Promise<LiveFixture> {
  const emu = await startTestEmulator(options);
  const bucket = uniqueBucket('live');
  const client = ossClient(emu, bucket) as unknown as LiveChannelClient;
  await client.putBucket(bucket);
  return { emu, bucket, client, hostPort: new URL(emu.endpoint).host };
}

/** The rejection of `promise`, which must be an ali-oss error. */
export async function aliError(promise: Promise<unknown>): Promise<AliOssError> {
  try {
    await promise;
  } catch (err) {
    return err as AliOssError;
  }
  throw new Error('expected the call to fail');
}

// ---- XML

const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

/**
 * Every element of a document in order, as `path=text` (containers as `path/`): comparing two of these lists compares
 * names, nesting, order and values element by element.
 */
export function xmlElements(xml: string): string[] {
  const out: string[] = [];
  const walk = (nodes: Array<Record<string, unknown>>, path: string) => {
    for (const node of nodes) {
      const name = Object.keys(node).find((k) => k !== ':@')!;
      if (name === '#text') continue;
      const children = node[name] as Array<Record<string, unknown>>;
      const here = path ? `${path}/${name}` : name;
      const text = children
        .filter((c) => '#text' in c)
        .map((c) => String(c['#text']))
        .join('');
      const elements = children.filter((c) => !('#text' in c));
      if (elements.length > 0) {
        out.push(`${here}/`);
        walk(elements, here);
      } else {
        out.push(`${here}=${text}`);
      }
    }
  };
  walk(orderedParser.parse(xml) as Array<Record<string, unknown>>, '');
  return out;
}

/** Replaces the text of the given element names (timestamps, addresses, URLs that differ by host) with a placeholder. */
export const normalised = (elements: string[], names: readonly string[]): string[] =>
  elements.map((e) => {
    const eq = e.indexOf('=');
    if (eq === -1) return e;
    const name = e.slice(0, eq).split('/').pop()!;
    return names.includes(name) ? `${e.slice(0, eq)}=<${name}>` : e;
  });

/** The error body of a raw response as Code / Message / EC. */
export const md5Etag = (body: string | Buffer): string => `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`;

// ---- a stand-in publisher

export interface FakePublish extends LivePublish {
  readonly kicks: string[];
  /** Leaves the channel, as the ingest does once a publish wrote everything. */
  release(): void;
}

/**
 * Claims a channel in the live registry (an internal: no client can fake a publisher) the way the RTMP ingest does, through the registry's public LivePublish contract.
 * Enough for ChannelStillLive and stat Live; real pushes are the ingest tests' business.
 */
export function claimLive(emu: Emulator, bucket: string, channel: string, stat: Partial<LiveStat> = {}): FakePublish {
  const kicks: string[] = [];
  const full: LiveStat = {
    connectedMs: Date.now(),
    remoteAddr: '10.1.2.3:47745',
    video: undefined,
    audio: undefined,
    warnings: [],
    ...stat,
  };
  const publish: FakePublish = {
    bucket,
    channel,
    publishId: -1,
    kicks,
    stat: () => full,
    kick: (reason) => {
      kicks.push(reason);
    },
    release: () => internalsOf(emu).services.live.release(publish),
  };
  if (!internalsOf(emu).services.live.claim(publish)) throw new Error(`${bucket}/${channel} is already live`);
  return publish;
}

// ---- history and segments, seeded through the store's API (what the RTMP ingest writes)

export interface SeedSegment {
  startMs: number;
  durationMs: number;
}

/** A finished publish with its ts objects `<channel>/<startMs>.ts` and segment rows; returns the segment keys. */
export function seedPublish(
  emu: Emulator,
  bucket: string,
  channel: string,
  publish: { startMs: number; endMs: number; remoteAddr?: string },
  segments: readonly SeedSegment[] = [],
): string[] {
  const { store } = internalsOf(emu).services;
  const id = store.openPublish(bucket, channel, publish.startMs, publish.remoteAddr ?? '10.0.0.1:50000', 'playlist.m3u8');
  const keys = segments.map((s, sequence) => {
    const key = `${channel}/${s.startMs}.ts`;
    store.putObjectBytes(bucket, key, [Buffer.from(`ts bytes of ${key}`)], { contentType: 'video/MP2T', lastModifiedMs: s.startMs });
    store.addSegment({ publishId: id, bucket, channel, key, sequence, startMs: s.startMs, durationMs: s.durationMs });
    return key;
  });
  store.closePublish(id, publish.endMs);
  return keys;
}

/** Minimal LiveChannelConfiguration as Go v1 sends it (omitempty everywhere). */
export const MINIMAL_CONFIG = '<LiveChannelConfiguration><Target><Type>HLS</Type></Target></LiveChannelConfiguration>';

export const configXml = (inner: string): string => `<LiveChannelConfiguration>${inner}</LiveChannelConfiguration>`;
