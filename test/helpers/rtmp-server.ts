// Shared test scaffolding for the RTMP ingest, publisher and sniffer tests.
import { createHash } from 'node:crypto';
import { createRtmpServer } from '../../src/live/rtmp/index.js';
import type { Logger } from '../../src/shared/logger.js';
import type {
  MediaEndReason,
  MediaPacket,
  PublishRequest,
  RtmpConnection,
  RtmpConnectionOptions,
  RtmpHooks,
  RtmpServer,
} from '../../src/live/rtmp/index.js';
import { parseFlv } from '../../src/media/flv.js';

export { FIXTURE_360P, FIXTURE_360P_PATH, FIXTURE_720P } from './fixtures.js';

export interface Refusal {
  code: string;
  description: string;
}

export interface RecordedPublish {
  req: PublishRequest;
  packets: MediaPacket[];
  ends: MediaEndReason[];
  /** Resolves with the first end() reason. */
  ended: Promise<MediaEndReason>;
}

/** Hooks that accept (unless `decide` returns a refusal) and record everything each sink receives. */
export function recordingHooks(decide?: (req: PublishRequest) => Promise<Refusal | undefined> | Refusal | undefined) {
  const requests: PublishRequest[] = [];
  const connections: RtmpConnection[] = [];
  const publishes: RecordedPublish[] = [];
  const hooks: RtmpHooks = {
    async publish(req) {
      requests.push(req);
      connections.push(req.connection);
      const refusal = await decide?.(req);
      if (refusal) return { accept: false, ...refusal };
      let onEnd!: (reason: MediaEndReason) => void;
      const rec: RecordedPublish = { req, packets: [], ends: [], ended: new Promise((r) => (onEnd = r)) };
      publishes.push(rec);
      return {
        accept: true,
        sink: {
          packet: (p) => rec.packets.push({ ...p, data: Buffer.from(p.data) }), // the server reuses p.data after the call
          end: (reason) => {
            rec.ends.push(reason);
            onEnd(reason);
          },
        },
      };
    },
  };
  return { hooks, requests, connections, publishes };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  msg: string;
  obj: object;
}

export function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg?: string) => lines.push({ level, msg: msg ?? '', obj });
  const log: Logger & { lines: LogLine[] } = {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    child: () => log,
  };
  return log;
}

/** A server on a free port; `opened` collects it for afterEach cleanup. */
export async function startServer(
  hooks: RtmpHooks,
  opened: RtmpServer[],
  opts: Partial<RtmpConnectionOptions> = {},
): Promise<{ server: RtmpServer; port: number; log: ReturnType<typeof capturingLogger> }> {
  const log = capturingLogger();
  const server = createRtmpServer(hooks, { idleTimeoutMs: 10_000, handshakeTimeoutMs: 5_000, log, ...opts });
  opened.push(server);
  const port = await server.listen(0, '127.0.0.1');
  return { server, port, log };
}

/** The audio/video tags of an FLV file, as the server should deliver them. */
export function fileMedia(flv: Buffer): MediaPacket[] {
  return parseFlv(flv)
    .tags.filter((t) => t.type !== 'script')
    .map((t) => ({ type: t.type as 'audio' | 'video', timestamp: t.timestamp, data: t.data }));
}

/** One hash over type, timestamp and body of every packet, in order. */
export function mediaDigest(packets: readonly MediaPacket[]): string {
  const hash = createHash('sha256');
  for (const p of packets) hash.update(`${p.type}:${p.timestamp}:${p.data.length}:`).update(p.data);
  return hash.digest('hex');
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A hand-driven publisher for cases publishFlv never produces (media before the answer, aggregates, play). */
export async function openRawSession(port: number, app = 'live') {
  const { RtmpClientConnection } = await import('../../src/push/rtmp-client.js');
  const client = await RtmpClientConnection.open('127.0.0.1', port, new AbortController().signal);
  client.setChunkSize(4096);
  await client.call('connect', { app, type: 'nonprivate', tcUrl: `rtmp://127.0.0.1:${port}/${app}` });
  const [streamId] = await client.call('createStream', null);
  const statuses: Array<{ level: string; code: string; description: string }> = [];
  client.onStatus((s) => statuses.push(s));
  return { client, streamId: streamId as number, statuses };
}
