/** A keyframe chosen for one snapshot interval. */
export interface SnapshotPick<T> {
  dtsMs: number;
  frame: T;
}

/**
 * Which keyframe when (sans-IO, stream time only): the stream is cut into intervals of `intervalMs` from its first
 * video DTS; each interval yields the LAST keyframe whose DTS falls in it, or nothing when it holds no keyframe
 * (PutLiveChannel: "no snapshot in an interval without a key frame").
 *
 * An interval is decided when the first packet at or past its end arrives (advance/keyframe return its pick then),
 * and end() decides the interval the stream stopped in. A DTS jumping back before the current interval (a publisher
 * restarting its timestamps) decides the current interval and starts a new grid at that DTS.
 */
export class SnapshotSchedule<T> {
  private readonly intervalMs: number;
  private windowStartMs: number | undefined;
  private pending: SnapshotPick<T> | undefined;

  constructor(intervalSec: number) {
    if (!Number.isFinite(intervalSec) || intervalSec <= 0)
      throw new RangeError(`interval must be a positive number of seconds, got ${intervalSec}`);
    this.intervalMs = intervalSec * 1000;
  }

  /** Stream time reached `dtsMs` (any video packet): returns the pick of the interval this closes, if any. */
  advance(dtsMs: number): SnapshotPick<T> | undefined {
    const start = this.windowStartMs;
    if (start === undefined) {
      this.windowStartMs = dtsMs;
      return undefined;
    }
    if (dtsMs >= start && dtsMs < start + this.intervalMs) return undefined;
    const pick = this.take();
    // Forward: skip whole intervals (keeping the grid); backwards past the interval: a new grid from here.
    this.windowStartMs = dtsMs > start ? start + Math.floor((dtsMs - start) / this.intervalMs) * this.intervalMs : dtsMs;
    return pick;
  }

  /** A keyframe at `dtsMs`: it becomes its interval's candidate. Returns the pick of an interval it closes, if any. */
  keyframe(dtsMs: number, frame: T): SnapshotPick<T> | undefined {
    const pick = this.advance(dtsMs);
    this.pending = { dtsMs, frame };
    return pick;
  }

  /** The stream ended: the pick of the interval it ended in (a partial interval with a keyframe counts). */
  end(): SnapshotPick<T> | undefined {
    return this.take();
  }

  private take(): SnapshotPick<T> | undefined {
    const pick = this.pending;
    this.pending = undefined;
    return pick;
  }
}
