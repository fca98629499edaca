import { spawn } from 'node:child_process';

export interface EncodeOptions {
  timeoutMs: number;
  /** Larger output is refused (a JPEG of one frame is far smaller). */
  maxBytes: number;
  signal?: AbortSignal;
}

export type JpegEncoder = (ffmpeg: string, annexB: Buffer, options: EncodeOptions) => Promise<Buffer>;

/** `ffmpeg -f h264 -i pipe:0 -frames:v 1 -f image2 -c:v mjpeg pipe:1`: one Annex B keyframe in, one JPEG out. */
export const encodeJpeg: JpegEncoder = (ffmpeg, annexB, { timeoutMs, maxBytes, signal }) =>
  new Promise((resolve, reject) => {
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'h264',
      '-i',
      'pipe:0',
      '-frames:v',
      '1',
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      'pipe:1',
    ];
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    let settled = false;
    const finish = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(Buffer.concat(out, size));
    };
    const fail = (err: Error) => {
      failure ??= err;
      child.kill('SIGKILL');
    };
    const onAbort = () => fail(new Error('snapshot aborted'));
    const timer = setTimeout(() => fail(new Error(`ffmpeg took longer than ${timeoutMs} ms`)), timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) fail(new Error(`ffmpeg wrote more than ${maxBytes} bytes`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // EPIPE when ffmpeg quits early; its exit status says why
    child.once('error', (err) => finish(failure ?? err));
    child.once('close', (code, sig) => {
      if (failure) finish(failure);
      else if (code !== 0) finish(new Error(`ffmpeg exited with ${code ?? sig}: ${stderr.trim().slice(0, 500)}`));
      else finish(undefined);
    });
    child.stdin.end(annexB);
  });
