// `push`: replay an FLV file to an RTMP URL, for users without OBS and for scripted tests (the publisher is push/).
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { RtmpPublishError, startPublisher } from '../push/index.js';
import { packagePath } from '../shared/package-root.js';
import { ConfigError, flagHelp, HELP_LINE, parseFlags, wantsHelp, type FlagSpec } from './flags.js';
import type { CliCommand } from './main.js';

/** The fixture shipped with the package (from src/, dist/ and the bundled dist/cli.js alike). */
const DEFAULT_FILE = packagePath('fixtures', '640x360-25fps-h264-aac.flv');
const FIXTURES_DIR = dirname(DEFAULT_FILE);

/** --file: a path relative to where the user runs the command, else a bundled clip by name (`640x360-25fps-h264-aac.flv`). */
async function readClip(file: string, cwd: string): Promise<{ path: string; bytes: Buffer }> {
  const local = resolve(cwd, file);
  try {
    return { path: local, bytes: await readFile(local) };
  } catch (err) {
    const bundled = resolve(FIXTURES_DIR, basename(file));
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || (file.includes('/') && !file.startsWith('fixtures/'))) throw err;
    return { path: bundled, bytes: await readFile(bundled).catch(() => Promise.reject(err)) };
  }
}

interface ChannelSummary {
  bucket: string;
  name: string;
  playUrl?: string;
  signedPlayUrl?: string;
  acl?: string;
  live: { segmentsWritten?: number } | null;
}

/** The emulator's own view of the channel (admin API), for the play URL and the segment count; undefined if unreachable. */
async function channelSummary(endpoint: string, bucket: string | undefined, channel: string): Promise<ChannelSummary | undefined> {
  try {
    // Generous: the emulator loads its admin API on the first /-/ request (~0.1 s compiled, ~1 s from sources under tsx).
    const res = await fetch(`${endpoint}/-/channels`, { signal: AbortSignal.timeout(10_000) });
    const { channels } = (await res.json()) as { channels: ChannelSummary[] };
    return channels.find((c) => c.name === channel && (bucket === undefined || c.bucket === bucket));
  } catch {
    return undefined;
  }
}

/** Bucket and channel of an RTMP URL as the emulator reads it (`/<bucket>/live/<channel>`, `/live/<channel>`). */
function channelOf(url: string): { bucket: string | undefined; channel: string } | undefined {
  const m = /^rtmp:\/\/[^/]+\/(?:([^/?]+)\/)?live\/([^/?]+)/i.exec(url);
  return m ? { bucket: m[1] && decodeURIComponent(m[1]), channel: decodeURIComponent(m[2]!) } : undefined;
}

/** http://host:port of the emulator behind an RTMP URL: the same port when it is not 1935 (the HTTP port takes RTMP too). */
function endpointOf(url: string): string {
  const m = /^rtmp:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(url);
  const host = m?.[1] ?? '127.0.0.1';
  const port = m?.[2] && m[2] !== '1935' ? m[2] : '8080';
  return `http://${host}:${port}`;
}

interface PushOptions {
  file?: string;
  /** As given, for the error message. */
  speed?: string;
  loop: boolean;
  duration?: string;
  endpoint?: string;
  quiet: boolean;
}

export const pushFlags: readonly FlagSpec<PushOptions>[] = [
  {
    flag: '--file',
    value: 'PATH',
    help: 'FLV file to send, relative to the current directory, or a bundled clip by name (default: the bundled 640x360-25fps-h264-aac.flv, H.264/AAC, 20 s)',
    apply: (o, v) => (o.file = v),
  },
  { flag: '--speed', value: 'N', help: '1 = real time (default), 0 = as fast as possible, 4 = 4x', apply: (o, v) => (o.speed = v) },
  { flag: '--loop', help: 'start over at the end of the file (until --duration or Ctrl-C)', apply: (o, on) => (o.loop = on) },
  { flag: '--duration', value: 'SECONDS', help: 'stop after this much stream time', apply: (o, v) => (o.duration = v) },
  {
    flag: '--endpoint',
    value: 'URL',
    help: "the emulator's HTTP endpoint, for the play URL and progress (default: the URL's host, port 8080 for RTMP port 1935, else the same port)",
    apply: (o, v) => (o.endpoint = v),
  },
  { flag: '--quiet', help: 'no progress lines', apply: (o, on) => (o.quiet = on) },
];

const USAGE = `Usage: oss-live-emulator push <rtmp-url> [options]

Publishes an FLV file to an RTMP URL, paced like a live encoder.

Options:
${flagHelp(pushFlags)}
${HELP_LINE}

Quote the URL in a shell: a signed URL's query contains '&'.
Exit status: 0 published, 1 refused or failed, 2 bad usage.`;

export interface PushOutput {
  out(line: string): void;
  err(line: string): void;
  /** Current working directory, for a relative --file. */
  cwd?: string;
}

const consoleOutput: PushOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function runPush(argv: string[], io: PushOutput = consoleOutput): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(USAGE);
    return 0;
  }
  const values: PushOptions = { loop: false, quiet: false };
  let positionals: string[];
  try {
    positionals = parseFlags(pushFlags, argv, {}, values);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`${err.message}\n\n${USAGE}`);
    return 2;
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

  let file = DEFAULT_FILE;
  let flv: Buffer;
  try {
    ({ path: file, bytes: flv } =
      values.file === undefined ? { path: file, bytes: await readFile(file) } : await readClip(values.file, io.cwd ?? process.cwd()));
  } catch (err) {
    io.err(`cannot read ${values.file ?? file}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }

  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const startedAt = Date.now();
  const endpoint = (values.endpoint ?? endpointOf(url)).replace(/\/+$/, '');
  const target = channelOf(url);
  let progress: NodeJS.Timeout | undefined;
  io.out(`publishing ${file} to ${url} (speed ${speed}${values.loop ? ', looping' : ''})`);
  try {
    const publisher = startPublisher({
      url,
      flv,
      speed,
      loop: values.loop,
      durationMs: durationSeconds === undefined ? undefined : durationSeconds * 1000,
      signal: interrupt.signal,
    });
    await publisher.started;
    io.out('publish started');
    const summary = target && (await channelSummary(endpoint, target.bucket, target.channel));
    if (summary?.playUrl) {
      const playUrl = summary.acl === 'private' ? summary.signedPlayUrl : summary.playUrl;
      io.out(`play: ${playUrl}`);
      io.out(`console: ${endpoint}/`);
    }
    if (!values.quiet && speed > 0) {
      let last = { at: Date.now(), bytes: 0 };
      progress = setInterval(() => {
        void (async () => {
          const stats = publisher.stats();
          const now = Date.now();
          const mbps = ((stats.bytesSent - last.bytes) * 8) / Math.max(1, now - last.at) / 1000;
          last = { at: now, bytes: stats.bytesSent };
          const live = target && (await channelSummary(endpoint, target.bucket, target.channel))?.live;
          const segments = live?.segmentsWritten === undefined ? '' : `, ${live.segmentsWritten} segments written`;
          io.out(`sent ${(stats.streamMsSent / 1000).toFixed(1)} s, ${mbps.toFixed(2)} Mbit/s${segments}`);
        })();
      }, 5000);
      progress.unref();
    }
    const result = await publisher.done;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    io.out(
      `done: ${(result.streamMsSent / 1000).toFixed(1)} s of media, ${result.tagsSent} tags, ${result.bytesSent} bytes in ${seconds} s`,
    );
    return 0;
  } catch (err) {
    if (err instanceof RtmpPublishError) io.err(`publish failed: ${err.code}: ${err.description}`);
    else io.err(`publish failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    clearInterval(progress);
    process.off('SIGINT', onSigint);
  }
}

export const pushCommand: CliCommand = { help: () => `${USAGE}\n`, run: (argv) => runPush(argv) };
