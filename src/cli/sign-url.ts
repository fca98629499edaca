// `sign-url`: a signed RTMP publish URL (and the OBS Server + Stream Key, and the play URLs) for a LiveChannel,
// optionally creating the bucket and the channel on the running emulator first (--create).
import { signRtmpUrl } from '../auth/rtmp-signature.js';
import type { Config } from '../config.js';
import { plainObjectUrl, signedPlaylistUrl } from '../oss/live-channel/signed-play-url.js';
import { connectHost, hostPort } from '../net/host.js';
import { ensureChannel, type CreatedAcl } from './ensure-channel.js';
import { ConfigError, flagHelp, HELP_LINE, liftFlags, parseFlags, type FlagSpec } from './flags.js';
import type { CliCommand } from './main.js';
import { defaultsCopy, serveFlags } from './serve-flags.js';

const ACLS: readonly CreatedAcl[] = ['public-read', 'private', 'public-read-write'];

interface SignUrlOptions {
  config: Config;
  bucket?: string;
  channel?: string;
  playlist?: string;
  expiresSeconds: number;
  rtmpBase?: string;
  create: boolean;
  acl: CreatedAcl;
  endpoint?: string;
  json: boolean;
}

/** The serve flags sign-url uses (the others are accepted, so the same flags as the server's work, but not listed). */
const USED_SERVE_FLAGS = new Set(['--host', '--http-port', '--rtmp-port', '--access-key-id', '--access-key-secret', '--credentials']);

export const signUrlFlags: readonly FlagSpec<SignUrlOptions>[] = [
  { flag: '--bucket', value: 'B', help: 'bucket of the LiveChannel', apply: (o, v) => (o.bucket = v) },
  { flag: '--channel', value: 'C', help: 'LiveChannel name', apply: (o, v) => (o.channel = v) },
  {
    flag: '--playlist',
    value: 'NAME.m3u8',
    help: "playlistName parameter (signed; overrides the channel's PlaylistName for this push)",
    apply: (o, v) => (o.playlist = v),
  },
  {
    flag: '--expires',
    value: 'SECONDS',
    help: 'seconds from now until the URL stops being accepted at connect (default 3600)',
    apply: (o, v) => {
      const ttl = Number(v);
      if (!Number.isInteger(ttl) || ttl <= 0) throw new ConfigError('--expires must be a positive whole number of seconds');
      o.expiresSeconds = ttl;
    },
  },
  {
    flag: '--rtmp-base',
    value: 'URL',
    help: 'rtmp://host:port the pusher connects to (default rtmp://<--host>:<--rtmp-port>, or the HTTP port when the RTMP port is 0)',
    apply: (o, v) => (o.rtmpBase = v),
  },
  {
    flag: '--create',
    help:
      'first create the bucket and the LiveChannel on the running emulator if they are missing (a new bucket is ' +
      'public-read, so the play URL needs no signature; an existing one is left as it is)',
    apply: (o, on) => (o.create = on),
  },
  {
    flag: '--acl',
    value: 'ACL',
    help: `ACL of a bucket --create makes: ${ACLS.join(', ')} (default public-read)`,
    apply: (o, v) => {
      if (!(ACLS as readonly string[]).includes(v)) throw new ConfigError(`--acl must be one of ${ACLS.join(', ')}, got "${v}"`);
      o.acl = v as CreatedAcl;
    },
  },
  {
    flag: '--endpoint',
    value: 'URL',
    help: "the emulator's HTTP endpoint, for --create and the play URL (default http://<--host>:<--http-port>, or the --rtmp-base host with the HTTP port)",
    apply: (o, v) => (o.endpoint = v),
  },
  {
    flag: '--json',
    help: 'print {url, obsServer, obsStreamKey, expires, endpoint, playUrl, signedPlayUrl, acl, console} as JSON',
    apply: (o, on) => (o.json = on),
  },
  ...liftFlags(
    serveFlags,
    (o: SignUrlOptions) => o.config,
    (spec) => USED_SERVE_FLAGS.has(spec.flag),
  ),
];

const help = (): string => `oss-live-emulator sign-url — a signed RTMP publish URL, ready for ffmpeg and OBS

Usage:
  oss-live-emulator sign-url --bucket B --channel C [--playlist NAME.m3u8] [--expires SECONDS] [--rtmp-base URL] [--json]

${flagHelp(signUrlFlags)}
${HELP_LINE}

The signed play URL (?x-oss-process=hls/sign, OSS's GetSignedPlaylist) plays from a private bucket too: the emulator
signs the segment URIs in the playlist it returns.
The credentials and addresses are the server's flags and variables (the emulator's defaults otherwise), so the URL
verifies against an emulator started with the same settings; every other serve flag is accepted and ignored.
`;

async function runSignUrl(argv: string[]): Promise<number> {
  const options: SignUrlOptions = {
    config: defaultsCopy(),
    expiresSeconds: 3600,
    create: false,
    acl: 'public-read',
    json: false,
  };
  try {
    const positionals = parseFlags(signUrlFlags, argv, process.env, options);
    if (positionals.length > 0) throw new ConfigError(`unexpected argument "${positionals[0]}" (see --help)`);
    const { config, bucket, channel, playlist, json, create, acl, rtmpBase } = options;
    if (!bucket || !channel) throw new ConfigError('sign-url needs --bucket and --channel (see --help)');
    const ttl = options.expiresSeconds;
    const host = connectHost(config.host);
    const base = (rtmpBase ?? `rtmp://${host}:${config.rtmpPort === false ? config.httpPort : config.rtmpPort}`).replace(/\/+$/, '');
    const expires = Math.floor(Date.now() / 1000) + ttl;
    const credential = config.credentials[0]!;
    // Behind --rtmp-base (a remapped or remote host) the player reaches the same host on the HTTP port.
    const baseHost = rtmpBase ? new URL(base.replace(/^rtmp:/i, 'http:')).hostname : host;
    const endpoint = (options.endpoint ?? `http://${hostPort(baseHost, config.httpPort)}`).replace(/\/+$/, '');
    const ensured = create ? await ensureChannel(endpoint, credential, bucket, channel, acl) : undefined;
    const playlistKey = `${channel}/${playlist ?? 'playlist.m3u8'}`;
    const playUrl = plainObjectUrl(endpoint, bucket, playlistKey);
    const signedPlayUrl = signedPlaylistUrl(endpoint, credential, bucket, playlistKey, expires);
    const publicPlay = ensured !== undefined && ensured.acl !== 'private';
    const obsServer = `${base}/${encodeURIComponent(bucket)}/live`;
    const obsStreamKey =
      encodeURIComponent(channel) +
      signRtmpUrl({
        accessKeyId: credential.accessKeyId,
        accessKeySecret: credential.accessKeySecret,
        bucket,
        channel,
        expires,
        params: playlist ? [['playlistName', playlist]] : [],
      });
    const url = `${obsServer}/${obsStreamKey}`;
    if (json) {
      const out = {
        url,
        obsServer,
        obsStreamKey,
        expires,
        endpoint,
        playUrl,
        signedPlayUrl,
        acl: ensured?.acl ?? null,
        console: `${endpoint}/`,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const until = new Date(expires * 1000).toISOString();
    const playLines = publicPlay
      ? [`Play URL (${ensured.acl} bucket, no signature needed): ${playUrl}`]
      : ensured
        ? [`Play URL (private bucket: signed, segments included, until ${until}):`, `  ${signedPlayUrl}`]
        : [
            `Play URL, public-read bucket: ${playUrl}`,
            `Play URL, any bucket (signed, segments included, until ${until}):`,
            `  ${signedPlayUrl}`,
          ];
    process.stdout.write(
      [
        ...(ensured?.done ?? []).map((line) => `${line} on ${endpoint}`),
        ...(ensured?.done.length ? [''] : []),
        `RTMP URL (ffmpeg -re -i input.flv -c copy -f flv "<url>"):`,
        `  ${url}`,
        '',
        'OBS (Settings > Stream > Service: Custom...):',
        `  Server:     ${obsServer}`,
        `  Stream Key: ${obsStreamKey}`,
        '',
        `Accepted at connect until ${until} (${ttl} s); a push may run past it.`,
        '',
        ...playLines,
        `Watch it in the console: ${endpoint}/`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (options.create && err instanceof Error) {
      process.stderr.write(`--create failed: ${err.message} (is the emulator running at that endpoint, with these credentials?)\n`);
      return 1;
    }
    throw err;
  }
}

export const signUrlCommand: CliCommand = { help, run: runSignUrl };
