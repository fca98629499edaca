import { signRtmpUrl } from './auth/rtmp-signature.js';
import { ensureChannel, type CreatedAcl } from './cli-oss-requests.js';
import { ConfigError, fromFlagsAndEnv } from './config.js';
import { plainObjectUrl, signedPlaylistUrl } from './oss/live-channel/signed-play-url.js';
import { connectHost, hostPort } from './net/host.js';

const HELP = `oss-live-emulator sign-url — a signed RTMP publish URL, ready for ffmpeg and OBS

Usage:
  oss-live-emulator sign-url --bucket B --channel C [--playlist NAME.m3u8] [--expires SECONDS] [--rtmp-base URL] [--json]

  --bucket B           bucket of the LiveChannel
  --channel C          LiveChannel name
  --playlist P         playlistName parameter (signed; overrides the channel's PlaylistName for this push)
  --expires S          seconds from now until the URL stops being accepted at connect (default 3600)
  --rtmp-base URL      rtmp://host:port the pusher connects to (default rtmp://<--host>:<--rtmp-port>, or the HTTP port
                       when the RTMP port is 0)
  --create             first create the bucket and the LiveChannel on the running emulator if they are missing (a new
                       bucket is public-read, so the play URL needs no signature; an existing one is left as it is)
  --acl ACL            ACL of a bucket --create makes: public-read (default), private or public-read-write
  --endpoint URL       the emulator's HTTP endpoint, for --create and the play URL (default http://<--host>:<--http-port>,
                       or the --rtmp-base host with the HTTP port)
  --json               print {url, obsServer, obsStreamKey, expires, playUrl, signedPlayUrl, acl} as JSON
  The signed play URL (?x-oss-process=hls/sign, OSS's GetSignedPlaylist) plays from a private bucket too: the emulator
  signs the segment URIs in the playlist it returns.
  Credentials come from --access-key-id/--access-key-secret or OSS_EMULATOR_ACCESS_KEY_ID/_SECRET (the emulator's
  defaults otherwise), so the URL verifies against an emulator started with the same settings.
`;

const OWN_FLAGS = new Set(['--bucket', '--channel', '--playlist', '--expires', '--rtmp-base', '--endpoint', '--acl']);
const ACLS: readonly CreatedAcl[] = ['public-read', 'private', 'public-read-write'];

export async function runSignUrl(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const own: Record<string, string> = {};
  const rest: string[] = [];
  const json = argv.includes('--json');
  const create = argv.includes('--create');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json' || arg === '--create') continue;
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (OWN_FLAGS.has(name)) own[name] = inline ?? argv[++i] ?? '';
    else rest.push(arg);
  }
  try {
    const { config } = fromFlagsAndEnv(rest, process.env);
    const bucket = own['--bucket'];
    const channel = own['--channel'];
    if (!bucket || !channel) throw new ConfigError('sign-url needs --bucket and --channel (see --help)');
    const ttl = Number(own['--expires'] ?? '3600');
    if (!Number.isInteger(ttl) || ttl <= 0) throw new ConfigError('--expires must be a positive whole number of seconds');
    const acl = (own['--acl'] ?? 'public-read') as CreatedAcl;
    if (!ACLS.includes(acl)) throw new ConfigError(`--acl must be one of ${ACLS.join(', ')}, got "${acl}"`);
    const host = connectHost(config.host);
    const rtmpBase = own['--rtmp-base'];
    const base = (rtmpBase ?? `rtmp://${host}:${config.rtmpPort === false ? config.httpPort : config.rtmpPort}`).replace(/\/+$/, '');
    const expires = Math.floor(Date.now() / 1000) + ttl;
    const playlist = own['--playlist'];
    const credential = config.credentials[0]!;
    // Behind --rtmp-base (a remapped or remote host) the player reaches the same host on the HTTP port.
    const baseHost = rtmpBase ? new URL(base.replace(/^rtmp:/i, 'http:')).hostname : host;
    const endpoint = (own['--endpoint'] ?? `http://${hostPort(baseHost, config.httpPort)}`).replace(/\/+$/, '');
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
    if (create && err instanceof Error) {
      process.stderr.write(`--create failed: ${err.message} (is the emulator running at that endpoint, with these credentials?)\n`);
      return 1;
    }
    throw err;
  }
}
