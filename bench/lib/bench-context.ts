// Shared by the benchmarks of one run: where child logs go, and progress output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_360P = join(REPO_ROOT, 'fixtures/640x360-25fps-h264-aac.flv');
export const FIXTURE_720P = join(REPO_ROOT, 'fixtures/1280x720-25fps-h264-aac.flv');
export const FFMPEG = '/usr/bin/ffmpeg';

export interface BenchContext {
  /** Child process logs and scratch files of this run. */
  workDir: string;
  progress(line: string): void;
}

export function createBenchContext(label: string): BenchContext {
  const workDir = mkdtempSync(join(tmpdir(), `oss-emulator-${label}-`));
  const started = performance.now();
  return {
    workDir,
    progress: (line) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`),
  };
}
