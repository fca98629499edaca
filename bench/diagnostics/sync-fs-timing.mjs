// Preload for the emulator process: times every synchronous fs metadata call made on its main thread and prints
// the totals to stderr at exit. Plain JS because it loads before tsx. Use:
//   BENCH_SERVER_NODE_FLAGS="--import ./bench/diagnostics/sync-fs-timing.mjs" npm run bench -- ingest --ns 200 --duration 20 --keep-logs
// then look for "sync-fs" in ingest-200-emulator.log in the kept log directory.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const stats = {};
for (const name of ['unlinkSync', 'renameSync', 'mkdirSync', 'rmSync']) {
  const original = fs[name];
  fs[name] = function timed(...args) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const ms = performance.now() - t0;
      const s = (stats[name] ??= { calls: 0, totalMs: 0, maxMs: 0, over10ms: 0, over50ms: 0 });
      s.calls++;
      s.totalMs += ms;
      s.maxMs = Math.max(s.maxMs, ms);
      if (ms > 10) s.over10ms++;
      if (ms > 50) s.over50ms++;
    }
  };
}
// ESM named imports of node:fs (import { unlinkSync } from 'node:fs') see the wrappers only after this.
syncBuiltinESMExports();
process.on('exit', () => process.stderr.write(`sync-fs ${JSON.stringify(stats)}\n`));
