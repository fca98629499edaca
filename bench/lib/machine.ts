// The facts a benchmark result is meaningless without.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from './bench-context.js';

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

function ffmpegVersion(ffmpeg: string): string {
  try {
    return execFileSync(ffmpeg, ['-version'], { encoding: 'utf8' })
      .split('\n')[0]!
      .replace(/ Copyright.*/, '');
  } catch {
    return 'ffmpeg not found';
  }
}

export function describeMachine(ffmpeg: string): string[] {
  const cpus = os.cpus();
  const dirty = git(['status', '--porcelain', '--', 'src']) ? ' + uncommitted changes in src/' : '';
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `node: ${process.version}; ${ffmpegVersion(ffmpeg)}`,
    `code: commit ${git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
    `load average at start: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ];
}
