import type { Credentials } from '../auth/credentials.js';
import type { Logger } from '../shared/logger.js';
import { M3U8_CONTENT_TYPE } from '../media/hls/m3u8.js';
import type { ControlledClock } from '../shared/clock.js';
import type { Store } from '../store/store.js';
import type { EventBus } from '../events/event-bus.js';
import type { LiveRegistry } from './live-registry.js';
import { LiveSession, type LiveSessionServices } from './live-session.js';
import { decidePublish, locate, type PublishPolicyConfig } from './publish-policy.js';
import { endedPlaylistOf } from './segment-writer.js';
import { SnapshotService } from './snapshot/snapshot-service.js';
import type { PublishDecision, PublishRequest, RtmpHooks } from './rtmp/types.js';
import { remoteAddrOf } from '../net/host.js';

export interface Ingest {
  hooks: RtmpHooks;
  /** Closes what a previous run left open (killed mid-push): records, and playlists get their ENDLIST. Run before listening. */
  recover(): void;
  /** Kicks every publisher and waits until their segments and records are written. */
  endAll(reason: string): Promise<void>;
  /** endAll, and stops snapshot work. */
  close(): Promise<void>;
}

/** What the ingest uses: the store, the clock, the registry of live publishes, and the settings it reads. */
export interface IngestServices {
  store: Store;
  clock: ControlledClock;
  live: LiveRegistry;
  events: EventBus;
  faults: LiveSessionServices['faults'];
  config: PublishPolicyConfig & LiveSessionServices['config'] & { ffmpegPath: string | undefined };
}

export interface IngestOptions {
  onSegmentVisible?(delayMs: number): void;
}

/** How far ahead of the clock an earlier publish's names may push a new publish's (a fast push runs ahead). */
const MAX_NAME_LEAD_MS = 60 * 60 * 1000;

/** RTMP publish decisions and live sessions: the data flow socket -> policy -> session -> segments -> store. */
export function createIngest(services: IngestServices, credentials: Credentials, log: Logger, options: IngestOptions = {}): Ingest {
  const sessions = new Set<LiveSession>();
  const { store, clock, live } = services;
  const snapshots = new SnapshotService({
    store,
    clock,
    log: log.child({ component: 'snapshot' }),
    ffmpegPath: services.config.ffmpegPath,
  });

  const publish = (req: PublishRequest): PublishDecision => {
    const verdict = decidePublish(req, services, credentials);
    const who = { conn: req.connectionId, app: req.app, stream: req.streamName, remote: remoteAddrOf(req.remoteAddress, req.remotePort) };
    if (!verdict.accept) {
      log.warn({ ...who, code: verdict.code }, `publish refused: ${verdict.description}`);
      const { bucket, channel } = locate(req, services);
      services.events.emit('publish-refused', {
        ...(bucket ? { bucket } : {}),
        ...(channel ? { channel } : {}),
        code: verdict.code,
        reason: verdict.description,
        remoteAddr: who.remote,
      });
      return verdict;
    }
    const { target } = verdict;
    const connectedMs = clock.now();
    const publishId = store.openPublish(target.bucket, target.channel.name, connectedMs, who.remote, target.playlistName);
    const sessionLog = log.child({ bucket: target.bucket, channel: target.channel.name, publishId });
    // Segment names are start times: never reuse one of an earlier publish of this channel. Names follow the emulator
    // clock per publish: an earlier publish far in the future (a timestamp jump before issue 14) must not drag this one.
    // OBS Stop -> Start: the previous publish may still be writing its last segments; this one queues behind it, and
    // its names follow those segments too (they are not in the store yet).
    const previous = live.get(target.bucket, target.channel.name);
    const flushingEnd = previous?.flushing ? (previous.namedUntilMs ?? 0) : 0;
    const earlierEnd = Math.max(store.channelSegmentsEnd(target.bucket, target.channel.name), flushingEnd);
    const mediaStartMs = earlierEnd + 1 - connectedMs <= MAX_NAME_LEAD_MS ? Math.max(connectedMs, earlierEnd + 1) : connectedMs;
    const snapshot = target.channel.snapshot;
    const session = new LiveSession({
      after: previous?.flushing ? previous.done : undefined,
      services,
      log: sessionLog,
      target,
      publishId,
      connectedMs,
      mediaStartMs,
      remoteAddr: who.remote,
      kickConnection: (reason, status) => req.connection.kick(reason, status),
      pauseConnection: () => req.connection.pauseInput(),
      resumeConnection: () => req.connection.resumeInput(),
      onSegmentVisible: options.onSegmentVisible,
      snapshots:
        snapshot &&
        snapshots.forChannel({
          bucket: target.bucket,
          channel: target.channel.name,
          config: snapshot,
          wallStartMs: mediaStartMs,
          log: sessionLog,
        }),
    });
    // decidePublish checked nobody publishes there and nothing ran since, so the claim holds (replacing a flushing one).
    live.claim(session);
    sessions.add(session);
    void session.done.then(() => sessions.delete(session));
    log.info({ ...who, bucket: target.bucket, channel: target.channel.name, playlist: target.playlistName }, 'publish accepted');
    services.events.emit('publish-start', {
      bucket: target.bucket,
      channel: target.channel.name,
      publishId,
      remoteAddr: who.remote,
      playlistName: target.playlistName,
    });
    return { accept: true, sink: session };
  };

  async function endAll(reason: string): Promise<void> {
    const pending = [...sessions];
    for (const session of pending) session.kick(reason, 'shutdown');
    await Promise.all(pending.map((s) => s.done));
  }

  return {
    hooks: { publish },
    recover() {
      for (const open of store.openPublishes()) {
        const segments = store.segmentsOfPublish(open.id);
        const last = segments[segments.length - 1];
        const endMs = last ? last.startMs + last.durationMs : open.startMs;
        store.closePublish(open.id, Math.max(endMs, open.startMs));
        const channel = store.getChannel(open.bucket, open.channel);
        if (last && channel) {
          store.putObjectBytes(
            open.bucket,
            `${open.channel}/${open.playlistName}`,
            [Buffer.from(endedPlaylistOf(segments, channel.fragCount))],
            {
              contentType: M3U8_CONTENT_TYPE,
              lastModifiedMs: clock.now(),
            },
          );
        }
        log.warn({ bucket: open.bucket, channel: open.channel, publishId: open.id }, 'closed a publish left open by a previous run');
      }
    },
    endAll,
    async close() {
      snapshots.close();
      await endAll('emulator closing');
    },
  };
}
