// Store-only load: N channels each committing a ~250 KB segment (+ its playlist) every 2 s through
// Store.commitSegment on a data directory on disk, as N live publishers would, for S seconds. Prints the commit
// latency distribution, the longest synchronous stretch of the event loop, and the process CPU.
//   npx tsx bench/diagnostics/segment-commit-load.ts [N=100] [S=20]
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Store } from '../../src/store/store.js';
import { summarize } from '../lib/percentiles.js';

const n = Number(process.argv[2] ?? 100);
const seconds = Number(process.argv[3] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'segment-commit-load-'));
const store = Store.open({ inMemory: false, dataDir: dir });
store.createBucket({ name: 'b', acl: 'private', storageClass: 'Standard', createdMs: Date.now() } as never);
const segment = Buffer.alloc(250_000, 0x47);
const md5 = createHash('md5').update(segment).digest();
const latencies: number[] = [];
/** How long each SQLite transaction held the event loop (a WAL checkpoint with its fsync runs inside one). */
const transactions: number[] = [];
const transaction = store.transaction.bind(store);
store.transaction = <T>(fn: () => T): T => {
  const start = performance.now();
  try {
    return transaction(fn);
  } finally {
    transactions.push(performance.now() - start);
  }
};
const liveFileOf = (bytes: Buffer) => {
  const file = store.openLiveSegment();
  file.append(bytes);
  return file;
};
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: n }, async (_, c) => {
    const channel = `ch${c}`;
    const publishId = store.openPublish('b', channel, Date.now(), '127.0.0.1:1', 'playlist.m3u8');
    await new Promise((r) => setTimeout(r, (c * 2000) / n));
    for (let seq = 0; performance.now() - t0 < seconds * 1000; seq++) {
      const start = performance.now();
      await store.commitSegment(
        {
          publishId,
          bucket: 'b',
          channel,
          key: `${channel}/${seq}.ts`,
          sequence: seq,
          startMs: seq * 2000,
          durationMs: 2000,
          file: liveFileOf(segment),
          md5,
          contentType: 'video/MP2T',
        },
        {
          key: `${channel}/playlist.m3u8`,
          text: `#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:${seq}\n#EXTINF:2.000,\n${seq}.ts\n`,
          contentType: 'application/x-mpegURL',
        },
        Date.now(),
      );
      latencies.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, Math.max(0, 2000 - (performance.now() - start))));
    }
  }),
);
const cpu = process.cpuUsage(cpu0);
const wall = (performance.now() - t0) / 1000;
const s = summarize(latencies);
console.log(
  `N=${n} ${latencies.length} commits: latency p50 ${s.p50.toFixed(1)} p90 ${s.p90.toFixed(1)} p99 ${s.p99.toFixed(1)} max ${s.max.toFixed(1)} ms; ` +
    `loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)} ms; ` +
    `CPU ${((100 * (cpu.user + cpu.system)) / 1e6 / wall).toFixed(1)} % of a core (user ${((100 * cpu.user) / 1e6 / wall).toFixed(1)}, sys ${((100 * cpu.system) / 1e6 / wall).toFixed(1)}) (${((cpu.user + cpu.system) / 1e3 / latencies.length).toFixed(2)} ms per commit)`,
);
const t = summarize(transactions);
console.log(
  `${t.count} transactions: p50 ${t.p50.toFixed(2)} p99 ${t.p99.toFixed(2)} max ${t.max.toFixed(1)} ms, ${transactions.filter((x) => x > 10).length} over 10 ms`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
