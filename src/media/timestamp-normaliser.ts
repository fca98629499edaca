/**
 * RTMP timestamps as a publisher sends them -> one monotonic timeline per publish, the way real ingest servers treat
 * broken encoders: nginx-rtmp's HLS module forces a fragment split with a discontinuity when the timestamp moves more
 * than 1 s back or far forward (`hls: force fragment split`); SRS's jitter correction replaces an out-of-range delta
 * with a nominal frame step. Here, per track:
 * - a delta within (-maxBackwardMs, maxForwardJumpMs) but not > 0 (frozen, or slightly backwards) is clamped to one
 *   frame step after the previous output: the stream keeps advancing, so segments are still cut on time;
 * - a bigger jump either way is a discontinuity: the track is rebased to continue one step after its previous
 *   output, and the caller is told (EXT-X-DISCONTINUITY, with the reason in the log); the channel's clock never jumps.
 * Deltas are taken modulo 2^32 as signed 32-bit values, so the RTMP timestamp wrap (every ~49.7 days) is continuous.
 */
export type TrackType = 'audio' | 'video';

export interface TimestampVerdict {
  /** Output timestamp (ms) on the publish's timeline, strictly increasing per track. */
  timestamp: number;
  /** Set when the input was not monotonic: why, for the log. */
  clamped?: string;
  /** Set when the input jumped: a discontinuity starts here. */
  discontinuity?: string;
}

interface TrackState {
  lastRaw: number;
  lastOut: number;
  /** Last normal positive delta: the nominal frame step used when clamping or rebasing. */
  step: number;
}

const DEFAULT_STEP_MS: Readonly<Record<TrackType, number>> = { video: 33, audio: 23 };
const MAX_STEP_MS = 100;

export interface TimestampNormaliserOptions {
  /** Larger backwards moves are discontinuities (nginx-rtmp: 1 s). */
  maxBackwardMs?: number;
  /** Larger forward moves are discontinuities. */
  maxForwardJumpMs?: number;
}

export class TimestampNormaliser {
  private readonly tracks = new Map<TrackType, TrackState>();
  private readonly maxBackwardMs: number;
  private readonly maxForwardJumpMs: number;
  /** Output time of the latest packet of any track: where a track that starts late (or far off) joins. */
  private latestOut: number | undefined;

  constructor(options: TimestampNormaliserOptions = {}) {
    this.maxBackwardMs = options.maxBackwardMs ?? 1000;
    this.maxForwardJumpMs = options.maxForwardJumpMs ?? 10_000;
  }

  next(type: TrackType, raw: number): TimestampVerdict {
    const track = this.tracks.get(type);
    if (track === undefined) return this.firstOf(type, raw);
    const delta = (raw - track.lastRaw) | 0; // signed 32-bit: the RTMP timestamp wraps at 2^32 ms
    track.lastRaw = raw;
    let verdict: TimestampVerdict;
    if (delta > 0 && delta <= this.maxForwardJumpMs) {
      if (delta <= MAX_STEP_MS) track.step = delta;
      const out = track.lastOut + delta;
      verdict = { timestamp: out };
    } else if (delta <= 0 && delta > -this.maxBackwardMs) {
      verdict = {
        timestamp: track.lastOut + track.step,
        clamped: delta === 0 ? `${type} timestamp did not advance` : `${type} timestamp went back ${-delta} ms`,
      };
    } else {
      const how = delta > 0 ? `jumped ${delta} ms ahead` : `went back ${-delta} ms`;
      verdict = { timestamp: track.lastOut + track.step, discontinuity: `${type} timestamp ${how}: rebased, discontinuity` };
    }
    track.lastOut = verdict.timestamp;
    this.latestOut = Math.max(this.latestOut ?? verdict.timestamp, verdict.timestamp);
    return verdict;
  }

  private firstOf(type: TrackType, raw: number): TimestampVerdict {
    // A well-behaved stream keeps its own timestamps (identity); only misbehaviour moves the timeline.
    let out = raw;
    let discontinuity: string | undefined;
    // A second track whose clock is far from the first one's joins at the current time instead.
    if (this.latestOut !== undefined && (out > this.latestOut + this.maxForwardJumpMs || out < this.latestOut - this.maxBackwardMs)) {
      discontinuity = `${type} timestamps start ${out - this.latestOut} ms away from the other track: aligned`;
      out = this.latestOut;
    }
    this.tracks.set(type, { lastRaw: raw, lastOut: out, step: DEFAULT_STEP_MS[type] });
    this.latestOut = Math.max(this.latestOut ?? out, out);
    return discontinuity ? { timestamp: out, clamped: discontinuity } : { timestamp: out };
  }
}
