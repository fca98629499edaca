// Process CPU (all threads: main + libuv pool) per live segment file written the way store/live-file.ts writes it
// (open, four 64 KiB writes, fdatasync, close, each a thread-pool round trip) against the same with open, writes and
// close as synchronous calls on the main thread (only fdatasync on the pool), 25 segments in flight as at N=50.
//   flock /tmp/bench.lock node bench/diagnostics/segment-file-io-cost.mjs [SEGMENTS] [DIR]
// Round 5 (2026-11-28, 2 vCPU VM, ext4): 0.37-0.39 ms per segment either way after warm-up: the pool round trips are
// not what the per-publisher ingest CPU is made of (25 segments/s at N=50 = ~1 % of a core for all file I/O).
import fs from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const segments = Number(process.argv[2] ?? 400);
const dir = fs.mkdtempSync(join(process.argv[3] ?? '/tmp', 'segment-io-'));
const slab = Buffer.alloc(64 * 1024, 7);
const open = promisify(fs.open);
const write = promisify(fs.write);
const fdatasync = promisify(fs.fdatasync);
const close = promisify(fs.close);

async function onThePool(i) {
  const fd = await open(join(dir, `a${i}`), 'w');
  for (let k = 0; k < 4; k++) await write(fd, slab, 0, slab.length, null);
  await fdatasync(fd);
  await close(fd);
}

async function syncButFdatasync(i) {
  const fd = fs.openSync(join(dir, `s${i}`), 'w');
  for (let k = 0; k < 4; k++) fs.writeSync(fd, slab, 0, slab.length, null);
  await fdatasync(fd);
  fs.closeSync(fd);
}

async function measure(name, writeOne) {
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < segments; i += 25) await Promise.all(Array.from({ length: 25 }, (_, j) => writeOne(i + j)));
  const cpu = process.cpuUsage(before);
  const perSegment = (cpu.user + cpu.system) / 1000 / segments;
  console.log(`${name.padEnd(28)} ${perSegment.toFixed(3)} ms CPU per segment, ${(performance.now() - t0).toFixed(0)} ms wall`);
}

try {
  for (let round = 0; round < 3; round++) {
    await measure('thread pool (as live-file)', onThePool);
    await measure('sync open/write/close', syncButFdatasync);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
