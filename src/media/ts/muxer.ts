import type { AccessUnit } from '../access-unit.js';
import {
  CLOCK_HZ,
  PID_AUDIO,
  PID_PAT,
  PID_PMT,
  PID_VIDEO,
  PROGRAM_NUMBER,
  STREAM_ID_AUDIO,
  STREAM_ID_VIDEO,
  STREAM_TYPE_AAC_ADTS,
  STREAM_TYPE_H264,
  TIMESTAMP_WRAP,
  TRANSPORT_STREAM_ID,
} from './constants.js';
import { TsPacketWriter } from './packet-writer.js';
import { encodePesHeader, PES_HEADER_MAX_SIZE } from './pes.js';
import { encodePatSection, encodePmtSection } from './psi.js';

const TICKS_PER_MS = CLOCK_HZ / 1000;
/** Added to every PTS/DTS (as ffmpeg does) so PCR <= DTS and a negative composition offset never goes below 0. */
export const TIMESTAMP_OFFSET_TICKS = 1.4 * CLOCK_HZ;
/** ISO 13818-1 allows 100 ms between PCRs; a low-fps stream gets PCR-only packets in between. */
const MAX_PCR_INTERVAL_MS = 100;

/**
 * H.264 (+ optional AAC) program muxer. One instance per publish: continuity counters and the timeline
 * (first DTS = TIMESTAMP_OFFSET_TICKS) carry on across the segments cut from it.
 */
export class TsMuxer {
  private readonly packets = new TsPacketWriter();
  private baseMs: number | undefined;
  /** Highest DTS written so far, in ms since baseMs: the mux clock PCR follows. */
  private clockMs = Number.NEGATIVE_INFINITY;
  private lastPcrMs = Number.NEGATIVE_INFINITY;
  private pmtVersion = 0;
  private pmtHasAudio: boolean | undefined;
  /** Reused per frame: the packet writer copies the header and payload parts away before returning. */
  private readonly pesHeader = Buffer.allocUnsafe(PES_HEADER_MAX_SIZE);
  private readonly parts: Buffer[] = [];

  /** PAT + PMT; a segment starts with these so it can be played alone. */
  writeTables(withAudio: boolean): void {
    if (this.pmtHasAudio !== undefined && this.pmtHasAudio !== withAudio) this.pmtVersion = (this.pmtVersion + 1) & 0x1f;
    this.pmtHasAudio = withAudio;
    this.packets.writeSection(
      PID_PAT,
      encodePatSection({ transportStreamId: TRANSPORT_STREAM_ID, version: 0, programNumber: PROGRAM_NUMBER, pmtPid: PID_PMT }),
    );
    const streams = [{ streamType: STREAM_TYPE_H264, pid: PID_VIDEO }];
    if (withAudio) streams.push({ streamType: STREAM_TYPE_AAC_ADTS, pid: PID_AUDIO });
    this.packets.writeSection(
      PID_PMT,
      encodePmtSection({ programNumber: PROGRAM_NUMBER, version: this.pmtVersion, pcrPid: PID_VIDEO, streams }),
    );
  }

  /** One video access unit per PES; every one carries a PCR, keyframes the random_access_indicator. */
  writeVideo(au: AccessUnit): void {
    this.advanceClock(au.dts);
    const parts = this.parts;
    parts.push(encodePesHeader({ streamId: STREAM_ID_VIDEO, pts: this.ticks(au.pts), dts: this.ticks(au.dts) }, this.pesHeader), au.data);
    this.packets.writePes(PID_VIDEO, parts, { pcr: this.pcr(), randomAccess: au.key });
    parts.length = 0;
    this.lastPcrMs = this.clockMs;
  }

  /** Several ADTS frames in one PES (cuts the per-frame header/stuffing overhead); PTS is the first frame's. */
  writeAudio(frames: readonly AccessUnit[]): void {
    const first = frames[0];
    if (!first) return;
    if (this.pmtHasAudio !== true) this.writeTables(true); // audio config arrived after the segment began
    this.advanceClock(first.dts);
    if (this.clockMs - this.lastPcrMs >= MAX_PCR_INTERVAL_MS) {
      this.packets.writePcrOnly(PID_VIDEO, this.pcr());
      this.lastPcrMs = this.clockMs;
    }
    let payloadLength = 0;
    for (const f of frames) payloadLength += f.data.length;
    const parts = this.parts;
    parts.push(encodePesHeader({ streamId: STREAM_ID_AUDIO, pts: this.ticks(first.pts), payloadLength }, this.pesHeader));
    for (const f of frames) parts.push(f.data);
    this.packets.writePes(PID_AUDIO, parts);
    parts.length = 0;
  }

  /** TS bytes produced since the last call. */
  take(): Buffer | undefined {
    return this.packets.take();
  }

  private advanceClock(dtsMs: number): void {
    this.baseMs ??= dtsMs;
    this.clockMs = Math.max(this.clockMs, dtsMs - this.baseMs);
  }

  /** Stream ms -> 90 kHz ticks on our timeline, wrapped to 33 bits. */
  private ticks(ms: number): number {
    return wrap33((ms - this.baseMs!) * TICKS_PER_MS + TIMESTAMP_OFFSET_TICKS);
  }

  private pcr(): number {
    return wrap33(this.clockMs * TICKS_PER_MS);
  }
}

function wrap33(ticks: number): number {
  return ((Math.round(ticks) % TIMESTAMP_WRAP) + TIMESTAMP_WRAP) % TIMESTAMP_WRAP;
}
