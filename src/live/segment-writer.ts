import { M3U8_CONTENT_TYPE, renderLivePlaylist, type PlaylistSegment } from '../media/hls/m3u8.js';
import { createHash, type Hash } from 'node:crypto';
import { releaseTsBytes } from '../media/ts/packet-writer.js';
import type { Clock } from '../shared/clock.js';
import type { SegmentRow } from '../store/rows.js';
import type { LiveSegmentFile } from '../store/live-file.js';
import type { Store } from '../store/store.js';

export const TS_CONTENT_TYPE = 'video/MP2T';

export interface SegmentWriterOptions {
  bucket: string;
  channel: string;
  playlistName: string;
  fragCount: number;
  publishId: number;
}

export interface CommittedSegment {
  key: string;
  sequence: number;
  startWallMs: number;
  durationMs: number;
}

/**
 * Turns the segmenter's TS bytes into objects of the bucket: `<channel>/<start-epoch-ms>.ts` plus the live playlist
 * `<channel>/<playlistName>` listing the last FragCount segments. Segments are committed one at a time, in order, by
 * Store.commitSegment (which owns the durability rule: both files durable, then one transaction).
 */
export class SegmentWriter {
  /** The open segment's file: its bytes are written as they come, so a publisher holds little more than one slab. */
  private file: LiveSegmentFile | undefined;
  /**
   * The muxer hands out views of its memory, usually each right after the previous one: they are merged into one
   * run (one buffer to hash and to write) until a view does not continue it (the muxer moved to another slab). MD5
   * (the ETag) is updated per run; the views of a run go back to the muxer's pool once the run is on the file.
   */
  private run: Buffer | undefined;
  private runEnd = 0;
  private runViews: Buffer[] = [];
  private hash: Hash = createHash('md5');
  private startWallMs = 0;
  private lastKeyMs = 0;
  private sequence = 0;
  private readonly window: PlaylistSegment[] = [];
  private firstInWindow = 0;
  private discontinuitiesDropped = 0;
  private discontinuity = false;
  /** End (emulator ms) of the last segment taken: names after this are free even while it still commits. */
  private takenUntilMs = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly opts: SegmentWriterOptions,
  ) {}

  get playlistKey(): string {
    return `${this.opts.channel}/${this.opts.playlistName}`;
  }

  /** Starts collecting a segment whose first frame maps to this wall-clock time. */
  begin(startWallMs: number, discontinuity = false): void {
    this.discardOpen();
    this.discontinuity = discontinuity;
    this.file = this.store.openLiveSegment();
    this.hash = createHash('md5');
    // Names are start times in ms; keep them unique even when a fast pusher packs segments into one millisecond.
    this.startWallMs = Math.max(Math.round(startWallMs), this.lastKeyMs + 1);
    this.lastKeyMs = this.startWallMs;
  }

  /** A muxer view (TsPacketWriter.take()): it must not change until released, which this writer does once it is written. */
  append(bytes: Buffer): void {
    const run = this.run;
    if (run && bytes.buffer === run.buffer && bytes.byteOffset === run.byteOffset + this.runEnd) {
      this.runEnd += bytes.length;
      this.runViews.push(bytes);
      return;
    }
    this.closeRun();
    this.run = bytes;
    this.runEnd = bytes.length;
    this.runViews = [bytes];
  }

  private closeRun(): void {
    const run = this.run;
    if (!run) return;
    const bytes = this.runEnd === run.length ? run : Buffer.from(run.buffer, run.byteOffset, this.runEnd);
    const views = this.runViews;
    this.run = undefined;
    this.runViews = [];
    const release = (): void => {
      for (const view of views) releaseTsBytes(view);
    };
    if (!this.file) return release(); // bytes outside a segment (none are emitted): nothing to keep
    this.hash.update(bytes);
    this.file.append(bytes, release);
  }

  /** Drops the open segment (the publish failed before it was cut). */
  discardOpen(): void {
    this.closeRun();
    this.file?.abort();
    this.file = undefined;
  }

  /** Takes what was collected; the caller commits it (possibly later, in order) or drops it. */
  take(durationSec: number): PendingSegment {
    this.closeRun();
    const file = this.file ?? this.store.openLiveSegment(); // a segment-end always follows a begin; an empty one if not
    const pending: PendingSegment = { file, md5: this.hash.digest(), startWallMs: this.startWallMs, durationSec };
    if (this.discontinuity) pending.discontinuity = true;
    this.takenUntilMs = this.startWallMs + Math.round(durationSec * 1000);
    this.file = undefined;
    this.hash = createHash('md5');
    return pending;
  }

  /** A taken segment that will not be committed (an injected drop): its file goes. */
  drop(pending: PendingSegment): void {
    pending.file.abort();
  }

  async commit(pending: PendingSegment): Promise<CommittedSegment> {
    const { bucket, channel, fragCount, publishId } = this.opts;
    const name = `${pending.startWallMs}.ts`;
    const key = `${channel}/${name}`;
    // A segment enters the playlist only once it is durable: on a failed write (ENOSPC) the window is put back.
    const saved = {
      window: [...this.window],
      firstInWindow: this.firstInWindow,
      dropped: this.discontinuitiesDropped,
      sequence: this.sequence,
    };
    const sequence = this.sequence++;
    this.window.push(
      pending.discontinuity
        ? { uri: name, durationSec: pending.durationSec, discontinuity: true }
        : { uri: name, durationSec: pending.durationSec },
    );
    if (this.window.length > fragCount) {
      if (this.window.shift()!.discontinuity) this.discontinuitiesDropped++;
      this.firstInWindow++;
    }
    const durationMs = Math.round(pending.durationSec * 1000);
    try {
      await this.store.commitSegment(
        {
          publishId,
          bucket,
          channel,
          key,
          sequence,
          startMs: pending.startWallMs,
          durationMs,
          file: pending.file,
          md5: pending.md5,
          contentType: TS_CONTENT_TYPE,
        },
        { key: this.playlistKey, text: this.playlistText(false), contentType: M3U8_CONTENT_TYPE },
        this.clock.now(),
      );
    } catch (err) {
      pending.file.abort(); // if the store did not take it (it removes what it took and failed)
      this.window.splice(0, this.window.length, ...saved.window);
      this.firstInWindow = saved.firstInWindow;
      this.discontinuitiesDropped = saved.dropped;
      this.sequence = saved.sequence;
      throw err;
    }
    return { key, sequence, startWallMs: pending.startWallMs, durationMs };
  }

  /** Where the names of the segments taken so far end (emulator ms); 0 before the first. */
  get namedUntilMs(): number {
    return this.takenUntilMs;
  }

  /** What the live playlist lists now: its media sequence and how many segments. */
  get playlistWindow(): { mediaSequence: number; segments: number } {
    return { mediaSequence: this.firstInWindow, segments: this.window.length };
  }

  /** Rewrites the live playlist with #EXT-X-ENDLIST once the publish is over; false when it produced no segment. */
  async finish(): Promise<boolean> {
    if (this.window.length === 0) return false;
    await this.store.putObjectBytesAsync(this.opts.bucket, this.playlistKey, [Buffer.from(this.playlistText(true))], {
      contentType: M3U8_CONTENT_TYPE,
      lastModifiedMs: this.clock.now(),
    });
    return true;
  }

  private playlistText(ended: boolean): string {
    return renderLivePlaylist({
      segments: this.window,
      mediaSequence: this.firstInWindow,
      ended,
      discontinuitySequence: this.discontinuitiesDropped,
    });
  }
}

/** The final live playlist of a publish from its recorded segments (crash recovery writes it at the next start). */
export function endedPlaylistOf(segments: readonly SegmentRow[], fragCount: number): string {
  const window = segments.slice(-fragCount);
  return renderLivePlaylist({
    segments: window.map((s) => ({ uri: s.key.slice(s.key.lastIndexOf('/') + 1), durationSec: s.durationMs / 1000 })),
    mediaSequence: window[0]?.sequence ?? 0,
    ended: true,
  });
}

export interface PendingSegment {
  /** Every byte of the segment appended (writes may still be in flight). */
  file: LiveSegmentFile;
  md5: Buffer;
  startWallMs: number;
  durationSec: number;
  discontinuity?: boolean;
}
