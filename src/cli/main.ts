// `oss-live-emulator [command] [flags]`: picks the command and loads only its module (sign-url and push never load
// the server), answers --help from the command's flag table, and turns a thrown error into exit status 1.
import { wantsHelp } from './flags.js';

/** A subcommand: its --help text (generated from its flag table) and its run, resolving to the exit status. */
export interface CliCommand {
  help(): string;
  /** The exit status; -1 for a command that keeps running (serve) and exits on a signal. */
  run(argv: string[]): Promise<number>;
}

interface CommandEntry {
  /** What follows `oss-live-emulator` in the top-level help. */
  synopsis: string;
  summary: string;
  load(): Promise<CliCommand>;
}

/** Every command: the top-level help is generated from this table; a command's module loads only when it runs. */
const commands: Record<string, CommandEntry> = {
  serve: {
    synopsis: '[serve] [flags]',
    summary: 'start the emulator (default command)',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  'sign-url': {
    synopsis: 'sign-url --bucket B --channel C [--playlist P] [--expires SECONDS] [flags]',
    summary: 'print a signed RTMP URL, and the OBS Server + Stream Key',
    load: async () => (await import('./sign-url.js')).signUrlCommand,
  },
  push: {
    synopsis: 'push <rtmp-url> [--file F.flv] [--speed N] [--loop] [--duration S]',
    summary: 'replay an FLV file to an RTMP URL (for tests and users without OBS)',
    load: async () => (await import('./push.js')).pushCommand,
  },
};

const SUMMARY_COLUMN = 40;

/** `oss-live-emulator --help`: the commands from the table, then serve's flags (serve is the default command). */
async function topLevelHelp(): Promise<string> {
  const lines = Object.values(commands).map(({ synopsis, summary }) => {
    const left = `  oss-live-emulator ${synopsis}`;
    return left.length < SUMMARY_COLUMN ? `${left.padEnd(SUMMARY_COLUMN)}${summary}` : `${left}\n${''.padEnd(SUMMARY_COLUMN)}${summary}`;
  });
  const serve = await commands.serve!.load();
  return [
    'oss-live-emulator — local Alibaba Cloud OSS LiveChannel emulator (OSS REST API + RTMP ingest to HLS)',
    '',
    'Usage:',
    ...lines,
    '  oss-live-emulator <command> --help',
    '',
    serve.help(),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const name = first && !first.startsWith('-') ? first : 'serve';
  const args = name === first ? rest : argv;
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    process.stderr.write(`unknown command "${name}"\n\n${await topLevelHelp()}`);
    return 2;
  }
  if (wantsHelp(args)) {
    process.stdout.write(name === 'serve' ? await topLevelHelp() : (await entry.load()).help());
    return 0;
  }
  return (await entry.load()).run(args);
}

/** The process around main(): exit status, and a crash printed as its stack. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
