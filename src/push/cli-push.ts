// `push` subcommand: replay an FLV file to an RTMP URL, for users without OBS and for scripted tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishFlv } from './flv-publisher.js';
import { RtmpPublishError } from './rtmp-publish-error.js';

/** The bundled fixture; resolves from src/push and from dist/push alike. */
const DEFAULT_FILE = fileURLToPath(new URL('../../fixtures/640x360-25fps-h264-aac.flv', import.meta.url));

const USAGE = `Usage: oss-live-emulator push <rtmp-url> [options]

Publishes an FLV file to an RTMP URL, paced like a live encoder.

Options:
  --file PATH          FLV file to send (default: bundled 640x360 H.264/AAC, 20 s)
  --speed N            1 = real time (default), 0 = as fast as possible, 4 = 4x
  --loop               start over at the end of the file (until --duration or Ctrl-C)
  --duration SECONDS   stop after this much stream time
  -h, --help           show this help

Quote the URL in a shell: a signed URL's query contains '&'.
Exit status: 0 published, 1 refused or failed, 2 bad usage.`;

export interface PushOutput {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: PushOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function runPush(argv: string[], io: PushOutput = consoleOutput): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        file: { type: 'string' },
        speed: { type: 'string' },
        loop: { type: 'boolean' },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const url = positionals[0];
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  const durationSeconds = values.duration === undefined ? undefined : Number(values.duration);
  const problem =
    positionals.length !== 1 || !url?.toLowerCase().startsWith('rtmp://')
      ? 'expected exactly one rtmp:// URL'
      : !(speed >= 0)
        ? `--speed must be a number >= 0, got ${values.speed}`
        : durationSeconds !== undefined && !(durationSeconds > 0)
          ? `--duration must be a number of seconds > 0, got ${values.duration}`
          : undefined;
  if (problem || !url) {
    io.err(`${problem}\n\n${USAGE}`);
    return 2;
  }

  const file = values.file ?? DEFAULT_FILE;
  let flv: Buffer;
  try {
    flv = await readFile(file);
  } catch (err) {
    io.err(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const startedAt = Date.now();
  io.out(`publishing ${file} to ${url} (speed ${speed}${values.loop ? ', looping' : ''})`);
  try {
    const result = await publishFlv({
      url,
      flv,
      speed,
      loop: values.loop ?? false,
      durationMs: durationSeconds === undefined ? undefined : durationSeconds * 1000,
      signal: interrupt.signal,
      onPublishStart: () => io.out('publish started'),
    });
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    io.out(`done: ${result.tagsSent} tags, ${result.bytesSent} bytes in ${seconds} s`);
    return 0;
  } catch (err) {
    if (err instanceof RtmpPublishError) io.err(`publish failed: ${err.code}: ${err.description}`);
    else io.err(`publish failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
