// `serve`, the default command: flags and env -> Config, start the emulator, print where it is, close on a signal.
import type { Config } from '../config.js';
import { ConfigError, flagHelp, HELP_LINE } from './flags.js';
import type { CliCommand } from './main.js';
import { fromFlagsAndEnv, serveFlags } from './serve-flags.js';

/** The serve part of the top-level help (main.ts puts the command list above it). */
const help = (): string => `Flags (each also read from its environment variable; flags win):\n${flagHelp(serveFlags)}\n${HELP_LINE}\n`;

async function runServe(args: string[]): Promise<number> {
  let parsed: { config: Config; positionals: string[] };
  try {
    parsed = fromFlagsAndEnv(args, process.env);
    if (parsed.positionals.length > 0) {
      throw new ConfigError(`unexpected argument "${parsed.positionals[0]}" (commands: serve, sign-url, push; see --help)`);
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  // Loaded here, not at the top: `--help` and a bad flag answer without loading the server.
  const [{ InitFileError, startEmulator }, { DataDirInUseError }] = await Promise.all([
    import('../emulator.js'),
    import('../store/data-dir-lock.js'),
  ]);
  let emulator;
  try {
    emulator = await startEmulator(parsed.config);
  } catch (err) {
    if (err instanceof DataDirInUseError || err instanceof InitFileError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw err;
    process.stderr.write(
      `cannot listen on ${parsed.config.host}:${e.port ?? '?'}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}; choose another with --http-port / --rtmp-port\n`,
    );
    return 1;
  }
  const { config } = emulator;
  // How this process was started, so the printed commands work when pasted (npm start from a clone, or the package).
  const script = process.argv[1] ?? '';
  const self = /(src[\\/]cli\.ts|scripts[\\/]start\.mjs)$/.test(script)
    ? 'npm start --'
    : /node_modules[\\/]/.test(script)
      ? 'npx oss-live-emulator'
      : 'node dist/cli.js';
  const portFlags =
    (emulator.httpPort !== 8080 ? ` --http-port ${emulator.httpPort}` : '') +
    (config.rtmpPort === false ? ' --rtmp-port 0' : emulator.rtmpPort !== 1935 ? ` --rtmp-port ${emulator.rtmpPort}` : '');
  const credentialLines = config.credentials.map((c) => `  AccessKeyId ${c.accessKeyId}  AccessKeySecret ${c.accessKeySecret}`).join('\n');
  process.stdout.write(
    [
      '',
      'oss-live-emulator is ready',
      `  OSS endpoint   ${emulator.endpoint}   (path-style; also http://<bucket>.localhost:${emulator.httpPort})`,
      `  RTMP ingest    ${emulator.rtmpUrl}   (and on the HTTP port)`,
      `  data           ${config.inMemory ? 'in memory (discarded on exit)' : config.dataDir}`,
      `  auth           ${config.auth ? 'signatures checked' : 'OFF (--no-auth): any request is accepted'}`,
      credentialLines,
      '',
      'Quick start (in another terminal):',
      `  ${self} sign-url --create --bucket demo --channel cam${portFlags}`,
      '      creates a public-read bucket and the LiveChannel if missing (--acl private to opt out),',
      '      prints the RTMP URL, the OBS Server + Stream Key and the play URL',
      `  ${self} push '<that rtmp url>'                 # or OBS / ffmpeg; a test clip is built in`,
      `  Watch: ${emulator.endpoint}/ (web console)   or   ffplay ${emulator.endpoint}/demo/cam/playlist.m3u8`,
      `  Your SDK: endpoint ${emulator.endpoint}, the AccessKeyId/Secret above. Admin: ${emulator.endpoint}/-/health, /-/channels, POST /-/reset`,
      '',
    ].join('\n'),
  );
  // A closed stdout (`serve | head`) must not turn a clean shutdown into an EPIPE crash.
  process.stdout.on('error', () => undefined);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: closing publishers and finishing segments...\n`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

export const serveCommand: CliCommand = { help, run: runServe };
