// What `npm ci` or an image build does to a disk, for reproducing the ingest finding on a quiet machine: small files
// written, fsynced, renamed and deleted in a loop under os.tmpdir() (where the in-memory store keeps its objects).
//   node bench/diagnostics/disk-churn.mjs 45 &   # then run the ingest benchmark
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seconds = Number(process.argv[2] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'disk-churn-'));
const end = Date.now() + seconds * 1000;
let ops = 0;
for (; Date.now() < end; ops++) {
  const path = join(dir, `f${ops % 500}`);
  const fd = openSync(`${path}.tmp`, 'w');
  writeSync(fd, randomBytes(16 * 1024));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${path}.tmp`, path);
  if (ops % 3 === 0) unlinkSync(path);
}
rmSync(dir, { recursive: true, force: true });
console.log(`disk churn: ${ops} fsynced files in ${seconds} s`);
