import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface FfmpegCandidate {
  /** What to spawn: an explicit path, ffmpeg-static's binary, or the bare name `ffmpeg` (spawn searches PATH). */
  command: string;
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
}

export interface FfmpegResolveDeps {
  exists(path: string): boolean;
  /** The path ffmpeg-static exports, or undefined when the package is absent (its install usually fails offline). */
  staticPath(): string | undefined;
}

/** ffmpeg-static is an optionalDependency: loaded lazily, and its absence (the usual case here) is not an error. */
export function ffmpegStaticPath(): string | undefined {
  try {
    const exported: unknown = createRequire(import.meta.url)('ffmpeg-static');
    return typeof exported === 'string' && exported !== '' ? exported : undefined;
  } catch {
    return undefined;
  }
}

const defaultDeps: FfmpegResolveDeps = { exists: existsSync, staticPath: ffmpegStaticPath };

/**
 * Which ffmpeg to use: the configured path (`--ffmpeg-path` / `FFMPEG_PATH`, read by config.ts)
 * as given, then ffmpeg-static's binary if that file exists, then `ffmpeg` on PATH. Nothing is run here: whether the
 * candidate really works is probeFfmpeg's job (a configured path that does not exist is kept, so the caller can say
 * which path failed).
 */
export function resolveFfmpegPath(configured: string | undefined, deps: FfmpegResolveDeps = defaultDeps): FfmpegCandidate {
  if (configured !== undefined && configured !== '') return { command: configured, source: 'FFMPEG_PATH' };
  const bundled = deps.staticPath();
  if (bundled !== undefined && deps.exists(bundled)) return { command: bundled, source: 'ffmpeg-static' };
  return { command: 'ffmpeg', source: 'PATH' };
}

/** Runs `<command> -version` (async, never on a hot path): resolves true when it starts and exits 0 in time. */
export function probeFfmpeg(command: string, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(ok);
    };
    const child = spawn(command, ['-hide_banner', '-version'], { stdio: 'ignore', windowsHide: true });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(false);
    }, timeoutMs);
    child.once('error', () => settle(false));
    child.once('exit', (code) => settle(code === 0));
  });
}
