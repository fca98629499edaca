import { describe, expect, it } from 'vitest';
import { SnapshotSchedule } from '../../../src/live/snapshot/snapshot-schedule.js';

interface Decided {
  /** DTS of the chosen keyframe. */
  keyframe: number;
  /** DTS of the packet whose arrival decided it ('end' for end()). */
  at: number | 'end';
}

/** Feeds a 25 fps video track (a packet every 40 ms) with a keyframe wherever `isKey` says; records each pick. */
function run(intervalSec: number, lastDtsMs: number, isKey: (dts: number) => boolean): Decided[] {
  const schedule = new SnapshotSchedule<string>(intervalSec);
  const out: Decided[] = [];
  for (let dts = 0; dts <= lastDtsMs; dts += 40) {
    const pick = isKey(dts) ? schedule.keyframe(dts, `kf@${dts}`) : schedule.advance(dts);
    if (pick) {
      expect(pick.frame).toBe(`kf@${pick.dtsMs}`);
      out.push({ keyframe: pick.dtsMs, at: dts });
    }
  }
  const last = schedule.end();
  if (last) out.push({ keyframe: last.dtsMs, at: 'end' });
  return out;
}

const every2s = (dts: number) => dts % 2000 === 0;

describe('SnapshotSchedule: which keyframe, when (stream DTS)', () => {
  it('keyframes at 0, 2, 4 … 18 s with Interval 3: the last keyframe of each 3 s interval, decided when the interval ends', () => {
    expect(run(3, 19_960, every2s)).toEqual([
      { keyframe: 2000, at: 3000 }, // [0,3): 0 and 2 -> the later one
      { keyframe: 4000, at: 6000 }, // [3,6): 4
      { keyframe: 8000, at: 9000 }, // [6,9): 6 and 8
      { keyframe: 10_000, at: 12_000 }, // [9,12): 10
      { keyframe: 14_000, at: 15_000 }, // [12,15): 12 and 14
      { keyframe: 16_000, at: 18_000 }, // [15,18): 16
      { keyframe: 18_000, at: 'end' }, // [18,21): the stream ended at 19.96 s, its keyframe still counts
    ]);
  });

  it('an interval without a keyframe yields nothing (Interval 1, keyframes every 2 s)', () => {
    const picks = run(1, 19_960, every2s);
    // 20 one-second intervals, only the 10 even ones hold a keyframe.
    expect(picks.map((p) => p.keyframe)).toEqual([0, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_000, 16_000, 18_000]);
    expect(picks.slice(0, -1).map((p) => p.at)).toEqual([1000, 3000, 5000, 7000, 9000, 11_000, 13_000, 15_000, 17_000]);
  });

  it('a long stretch without keyframes skips its intervals and keeps the grid', () => {
    // Keyframes at 0 and 10 s only; Interval 3: [0,3) -> 0, [3,6) and [6,9) -> none, [9,12) -> 10.
    const picks = run(3, 11_960, (dts) => dts === 0 || dts === 10_000);
    expect(picks).toEqual([
      { keyframe: 0, at: 3000 },
      { keyframe: 10_000, at: 'end' },
    ]);
  });

  it('counts from the first video DTS, not from zero', () => {
    const schedule = new SnapshotSchedule<number>(3);
    expect(schedule.advance(50_000)).toBeUndefined();
    expect(schedule.keyframe(52_900, 1)).toBeUndefined();
    expect(schedule.keyframe(53_000, 2)).toEqual({ dtsMs: 52_900, frame: 1 }); // 53 s is the end of [50,53)
    expect(schedule.end()).toEqual({ dtsMs: 53_000, frame: 2 });
    expect(schedule.end()).toBeUndefined();
  });

  it('a jump far ahead yields the pending keyframe once, and a DTS going back starts a new grid', () => {
    const schedule = new SnapshotSchedule<string>(2);
    schedule.keyframe(0, 'a');
    expect(schedule.advance(60_000)).toEqual({ dtsMs: 0, frame: 'a' });
    expect(schedule.keyframe(61_000, 'b')).toBeUndefined(); // same [60,62) interval
    expect(schedule.keyframe(500, 'c')).toEqual({ dtsMs: 61_000, frame: 'b' }); // publisher restarted its clock
    expect(schedule.advance(2400)).toBeUndefined(); // new grid: [500,2500)
    expect(schedule.advance(2500)).toEqual({ dtsMs: 500, frame: 'c' });
  });

  it('refuses a non-positive interval', () => {
    expect(() => new SnapshotSchedule(0)).toThrow(RangeError);
  });
});
