// Many real-time RTMP publishers in one process (our own src/push publisher replaying an FLV, looped).
// <- start { urls, fixture, durationMs, staggerMs }   publisher i starts at i * staggerMs / urls.length
// -> started { ok, failed: [{ url, error }] }        once every publisher has started or failed
// -> done { publishers: PublisherOutcome[] }         once every publisher has finished
import { readFileSync } from 'node:fs';
import { startPublisher } from '../../src/push/index.js';
import { onParentMessage, tellParent } from '../lib/ts-child.js';

export interface PublisherOutcome {
  url: string;
  ok: boolean;
  error?: string;
  /** Connect to NetStream.Publish.Start. */
  setupMs?: number;
  /** Publish.Start to the end of a clean stop: stream time + how late the pacing ran + the close handshake. */
  publishingMs?: number;
  tagsSent: number;
  bytesSent: number;
  /** The most any tag went out later than its real-time schedule (ms): how far behind real time the publisher fell. */
  maxLateMs: number;
  /** Video keyframes as [stream ms, epoch ms when handed to the socket]: the segment-visible latency's start points. */
  keyframes: Array<[number, number]>;
}

const errorText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

onParentMessage(async (m) => {
  if (m.type !== 'start') return;
  const urls = m.urls as string[];
  const flv = readFileSync(m.fixture as string);
  const durationMs = m.durationMs as number;
  const staggerMs = m.staggerMs as number;
  let pendingStart = urls.length;
  const failedAtStart: Array<{ url: string; error: string }> = [];
  const startSettled = () => {
    if (--pendingStart === 0) tellParent({ type: 'started', ok: urls.length - failedAtStart.length, failed: failedAtStart });
  };
  const outcomes = await Promise.all(
    urls.map(async (url, i): Promise<PublisherOutcome> => {
      await new Promise((r) => setTimeout(r, (i * staggerMs) / urls.length));
      const t0 = performance.now();
      let t1: number | undefined;
      let maxLateMs = 0;
      const keyframes: Array<[number, number]> = [];
      const publisher = startPublisher({
        url,
        flv,
        speed: 1,
        loop: true,
        durationMs,
        onTagSent: (tag) => {
          if (tag.lateMs > maxLateMs) maxLateMs = tag.lateMs;
          if (tag.keyframe) keyframes.push([tag.streamMs, performance.timeOrigin + performance.now()]);
        },
      });
      try {
        await publisher.started;
        t1 = performance.now();
      } catch (err) {
        failedAtStart.push({ url, error: errorText(err) });
      }
      startSettled();
      try {
        const result = await publisher.done;
        return { url, ok: true, setupMs: t1! - t0, publishingMs: performance.now() - t1!, ...result, maxLateMs, keyframes };
      } catch (err) {
        const setupMs = t1 === undefined ? undefined : t1 - t0;
        return { url, ok: false, error: errorText(err), setupMs, ...publisher.stats(), maxLateMs, keyframes };
      }
    }),
  );
  tellParent({ type: 'done', publishers: outcomes });
});
tellParent({ type: 'ready' });
