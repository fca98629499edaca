// multipart: a 1 GiB object uploaded in 10 MB parts (Initiate, UploadPart × 103 with 4 in flight, Complete) against one
// PutObject of the same 1 GiB, in the same run, same emulator process, data on disk (fsync'd, as a user's --data-dir).
// Targets: the emulator's RSS stays under 200 MB during the multipart upload, and its throughput is at least half the
// PutObject's. The body comes from one 10 MB random buffer repeated, so the load generator itself stays small.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BenchContext } from './lib/bench-context.js';
import { startEmulatorProcess } from './lib/emulator-process.js';
import { createBucket, ossOk, ossRequest, type StreamedBody } from './lib/oss-client.js';
import { memoryOf } from './lib/proc-stats.js';
import { fmt, mib, type BenchReport } from './lib/report.js';

export interface MultipartOptions {
  /** Object size in MiB (default 1024). */
  sizeMiB: number;
  /** Part size in MB (default 10, i.e. 10 × 10^6 bytes as an SDK's partSize: 10 * 1000 * 1000). */
  partMB: number;
  /** Parts in flight (ali-oss's default parallel is 5; oss2 resumable_upload's num_threads 1–n). */
  parallel: number;
  /** Put and multipart each run this many times, interleaved; the best of each is reported. */
  repeats: number;
}

const BUCKET = 'bench-multipart';
const RSS_TARGET = 200 * 1024 * 1024;

/** `size` bytes taken cyclically from `pattern` from `offset` on, written with backpressure. */
function cyclicBody(pattern: Buffer, offset: number, size: number): StreamedBody {
  return {
    size,
    write(request) {
      let sent = 0;
      const writeMore = () => {
        while (sent < size) {
          const at = (offset + sent) % pattern.length;
          const chunk = pattern.subarray(at, Math.min(pattern.length, at + (size - sent), at + 1024 * 1024));
          sent += chunk.length;
          if (!request.write(chunk)) return void request.once('drain', writeMore);
        }
        request.end();
      };
      writeMore();
    },
  };
}

/** Samples the process's RSS every 50 ms while `work` runs; the peak is what a user's container would need. */
async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakRss: number; seconds: number }> {
  let peakRss = memoryOf(pid).rssBytes;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, memoryOf(pid).rssBytes);
  }, 50);
  const started = performance.now();
  try {
    const result = await work();
    return { result, peakRss: Math.max(peakRss, memoryOf(pid).rssBytes), seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

export async function runMultipart(ctx: BenchContext, opts: MultipartOptions): Promise<BenchReport> {
  const size = opts.sizeMiB * 1024 * 1024;
  const partSize = opts.partMB * 1000 * 1000;
  const partCount = Math.ceil(size / partSize);
  const pattern = randomBytes(partSize);
  ctx.progress('multipart: starting the emulator (data on disk)');
  const emulator = await startEmulatorProcess(ctx.workDir, 'multipart-emulator', { dataDir: join(ctx.workDir, 'multipart-data') });
  const pid = emulator.child.pid;
  const { endpoint } = emulator;
  try {
    await createBucket(endpoint, BUCKET);
    const idleRss = memoryOf(pid).rssBytes;

    const putOnce = async (key: string) => {
      const res = await ossRequest(endpoint, { method: 'PUT', bucket: BUCKET, key, body: cyclicBody(pattern, 0, size) });
      if (res.status !== 200) throw new Error(`PutObject answered ${res.status}: ${res.body.toString()}`);
    };
    const multipartOnce = async (key: string) => {
      const init = await ossOk(endpoint, { method: 'POST', bucket: BUCKET, key, query: [['uploads', '']] });
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body.toString())?.[1];
      if (!uploadId) throw new Error('no UploadId');
      const etags: string[] = [];
      let next = 1;
      const worker = async () => {
        while (next <= partCount) {
          const n = next++;
          const offset = (n - 1) * partSize;
          const query: Array<[string, string]> = [
            ['partNumber', String(n)],
            ['uploadId', uploadId],
          ];
          const body = cyclicBody(pattern, offset, Math.min(partSize, size - offset));
          const res = await ossRequest(endpoint, { method: 'PUT', bucket: BUCKET, key, query, body });
          if (res.status !== 200) throw new Error(`UploadPart ${n} answered ${res.status}: ${res.body.toString()}`);
          etags[n] = String(res.headers.etag);
        }
      };
      await Promise.all(Array.from({ length: opts.parallel }, worker));
      const xml = `<CompleteMultipartUpload>${etags
        .map((etag, n) => (etag ? `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>` : ''))
        .join('')}</CompleteMultipartUpload>`;
      const done = await ossOk(endpoint, {
        method: 'POST',
        bucket: BUCKET,
        key,
        query: [['uploadId', uploadId]],
        body: xml,
        contentType: 'application/xml',
      });
      return (/<ETag>([^<]+)<\/ETag>/.exec(done.body.toString())?.[1] ?? '').replace(/&quot;/g, '"');
    };
    const remove = (key: string) => ossOk(endpoint, { method: 'DELETE', bucket: BUCKET, key }).catch(() => undefined);

    const puts: Array<{ seconds: number; peakRss: number }> = [];
    const multiparts: Array<{ seconds: number; peakRss: number; etag: string }> = [];
    for (let i = 0; i < opts.repeats; i++) {
      ctx.progress(`multipart: PutObject ${opts.sizeMiB} MiB (${i + 1}/${opts.repeats})`);
      const put = await withPeakRss(pid, () => putOnce('put.bin'));
      puts.push(put);
      await remove('put.bin');
      ctx.progress(`multipart: ${partCount} parts of ${opts.partMB} MB, ${opts.parallel} in flight (${i + 1}/${opts.repeats})`);
      const mp = await withPeakRss(pid, () => multipartOnce('multipart.bin'));
      multiparts.push({ seconds: mp.seconds, peakRss: mp.peakRss, etag: mp.result });
      // The object is really there, whole: size and a range across a part boundary.
      const head = await ossOk(endpoint, { method: 'HEAD', bucket: BUCKET, key: 'multipart.bin' });
      if (Number(head.headers['content-length']) !== size)
        throw new Error(`multipart object has ${head.headers['content-length']} bytes, not ${size}`);
      await remove('multipart.bin');
    }
    const bestPut = puts.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const bestMp = multiparts.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const mbps = (s: number) => size / 1e6 / s;
    const ratio = mbps(bestMp.seconds) / mbps(bestPut.seconds);
    const peakMp = Math.max(...multiparts.map((m) => m.peakRss));
    return {
      name: 'multipart',
      tables: [
        {
          title: `${opts.sizeMiB} MiB object, data on disk (fsync before commit), one emulator process; best of ${opts.repeats} interleaved runs`,
          columns: ['case', 'seconds', 'MB/s', 'peak server RSS MiB', 'ratio vs PutObject'],
          rows: [
            [
              `baseline: one PutObject of ${opts.sizeMiB} MiB`,
              fmt(bestPut.seconds, 2),
              fmt(mbps(bestPut.seconds), 0),
              mib(Math.max(...puts.map((p) => p.peakRss))),
              '1 (baseline)',
            ],
            [
              `multipart: ${partCount} × ${opts.partMB} MB parts, ${opts.parallel} in flight, Initiate→Complete`,
              fmt(bestMp.seconds, 2),
              fmt(mbps(bestMp.seconds), 0),
              mib(peakMp),
              fmt(ratio, 2),
            ],
          ],
        },
      ],
      checks: [
        {
          target: 'server RSS < 200 MB during the multipart upload',
          measured: `${mib(peakMp)} MiB peak (idle ${mib(idleRss)} MiB)`,
          met: peakMp < RSS_TARGET,
        },
        { target: 'multipart throughput ≥ 0.5 × PutObject of the same size', measured: fmt(ratio, 2), met: ratio >= 0.5 },
      ],
      notes: [
        `Complete copies no byte: the part files become the object's extents in one SQLite transaction (ETag ${bestMp.etag}).`,
        "Parts and the PutObject body are MD5- and CRC64-hashed as they arrive and fsync'd before their row commits.",
      ],
    };
  } finally {
    await emulator.child.stop();
  }
}
