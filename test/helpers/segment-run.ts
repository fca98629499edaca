import { readFileSync } from 'node:fs';
import { parseFlv } from '../../src/media/flv.js';
import { FlvDemuxer, type MediaPacket } from '../../src/media/flv-demux.js';
import { HlsSegmenter, type HlsSegmenterOptions, type SegmenterEvent } from '../../src/media/hls/hls-segmenter.js';
import { fixturePath } from './fixtures.js';

export interface CollectedSegment {
  startMs: number;
  durationSec: number;
  endMs: number;
  bytes: Buffer;
  /** Number of 'data' events that made up the segment. */
  chunks: number;
}

export interface SegmenterRun {
  segments: CollectedSegment[];
  warnings: string[];
  dataEvents: number;
}

export { fixturePath };

/** The fixture's audio/video tags as the live ingest would push them. */
export function fixturePackets(name: string): MediaPacket[] {
  return parseFlv(readFileSync(fixturePath(name))).tags.flatMap((t) =>
    t.type === 'script' ? [] : [{ type: t.type, timestamp: t.timestamp, data: t.data }],
  );
}

/** A segmenter behind its own demuxer, as the live session runs them: push() takes FLV tag bodies. */
export function flvSegmenter(opts: HlsSegmenterOptions) {
  const demuxer = new FlvDemuxer();
  const segmenter = new HlsSegmenter(opts);
  return {
    segmenter,
    push: (p: MediaPacket): SegmenterEvent[] => segmenter.push(demuxer.push(p)),
    end: (): SegmenterEvent[] => segmenter.end(),
  };
}

/** Drives a segmenter (behind `demuxer`, a fresh one by default) to the end, checking the event grammar: (start data* end)*, warnings anywhere. */
export function runSegmenter(segmenter: HlsSegmenter, packets: readonly MediaPacket[], demuxer = new FlvDemuxer()): SegmenterRun {
  const run: SegmenterRun = { segments: [], warnings: [], dataEvents: 0 };
  let open: { startMs: number; chunks: Buffer[] } | undefined;
  const apply = (events: SegmenterEvent[]): void => {
    for (const e of events) {
      switch (e.type) {
        case 'segment-start':
          if (open) throw new Error('segment-start while a segment is open');
          open = { startMs: e.startMs, chunks: [] };
          break;
        case 'data':
          if (!open) throw new Error('data outside a segment');
          open.chunks.push(e.bytes);
          run.dataEvents++;
          break;
        case 'segment-end':
          if (!open) throw new Error('segment-end without a segment');
          run.segments.push({
            startMs: open.startMs,
            durationSec: e.durationSec,
            endMs: e.endMs,
            bytes: Buffer.concat(open.chunks),
            chunks: open.chunks.length,
          });
          open = undefined;
          break;
        case 'warning':
          run.warnings.push(e.message);
          break;
      }
    }
  };
  for (const p of packets) apply(segmenter.push(demuxer.push(p)));
  apply(segmenter.end());
  if (open) throw new Error('end() left a segment open');
  return run;
}
