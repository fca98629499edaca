/** Bytes per second over a sliding window of whole seconds (GetLiveChannelStat's Bandwidth). */
export class BandwidthMeter {
  private readonly buckets: number[];
  private bucketSecond = 0;
  private readonly startSecond: number;

  constructor(
    startMs: number,
    private readonly windowSec = 5,
  ) {
    this.buckets = new Array<number>(windowSec).fill(0);
    this.startSecond = Math.floor(startMs / 1000);
    this.bucketSecond = this.startSecond;
  }

  add(bytes: number, nowMs: number): void {
    this.advance(Math.floor(nowMs / 1000));
    this.buckets[this.bucketSecond % this.windowSec]! += bytes;
  }

  /** Average over the last full seconds of the window (0 during the first second: nothing complete yet). */
  bytesPerSecond(nowMs: number): number {
    const second = Math.floor(nowMs / 1000);
    this.advance(second);
    const complete = Math.min(this.windowSec - 1, second - this.startSecond);
    if (complete <= 0) return 0;
    let total = 0;
    for (let s = second - complete; s < second; s++) total += this.buckets[s % this.windowSec]!;
    return Math.round(total / complete);
  }

  private advance(second: number): void {
    if (second <= this.bucketSecond) return;
    const steps = Math.min(second - this.bucketSecond, this.windowSec);
    for (let i = 1; i <= steps; i++) this.buckets[(this.bucketSecond + i) % this.windowSec] = 0;
    this.bucketSecond = second;
  }
}
