import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedStream {
  codec_name: string;
  codec_type: string;
  width?: number;
  height?: number;
  sample_rate?: string;
}

/** ffprobe's view of a file or URL: streams, duration, and whatever it complained about on stderr. */
export async function ffprobe(input: string): Promise<{ streams: ProbedStream[]; duration: number; errors: string }> {
  const { stdout, stderr } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', input], {
    maxBuffer: 16 << 20,
  });
  const json = JSON.parse(stdout) as { streams: ProbedStream[]; format: { duration?: string } };
  return { streams: json.streams, duration: Number(json.format.duration ?? 'NaN'), errors: stderr.trim() };
}

/** Decodes (or stream-copies) the input fully; returns ffmpeg's error output (empty when clean). */
export async function ffmpegCheck(input: string, copy = false): Promise<string> {
  const args = ['-v', 'error', '-i', input, ...(copy ? ['-c', 'copy'] : []), '-f', 'null', '-'];
  const { stderr } = await run('ffmpeg', args, { maxBuffer: 16 << 20 });
  return stderr.trim();
}

/**
 * Runs ffmpeg as an RTMP pusher (`-re`, stream copy to FLV) for `seconds` of `input`; resolves with its exit code and
 * stderr (errors only). Killed if it is still running 20 s after its stream should have ended.
 */
export function ffmpegPush(url: string, input: string, seconds: number): Promise<{ code: number | null; stderr: string }> {
  const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
  const child = spawn(ffmpeg, [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-re',
    '-i',
    input,
    '-t',
    String(seconds),
    '-c',
    'copy',
    '-f',
    'flv',
    url,
  ]);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr });
    }),
  );
}
