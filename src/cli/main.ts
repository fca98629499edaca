// `oss-live-emulator [command] [flags]`: picks the command and loads only its module (sign-url and push never load
// the server), answers --help from the command's flag table, and turns a thrown error into exit status 1.
import { wantsHelp } from './flags.js';

/** A subcommand: its --help text (generated from its flag table) and its run, resolving to the exit status. */
export interface CliCommand {
  help(): string;
  /** The exit status; -1 for a command that keeps running (serve) and exits on a signal. */
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<CliCommand>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  'sign-url': async () => (await import('./sign-url.js')).signUrlCommand,
  push: async () => (await import('./push.js')).pushCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const name = first && !first.startsWith('-') ? first : 'serve';
  const args = name === first ? rest : argv;
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const serve = await commands.serve!();
    process.stderr.write(`unknown command "${name}"\n\n${serve.help()}`);
    return 2;
  }
  const command = await load();
  if (wantsHelp(args)) {
    process.stdout.write(command.help());
    return 0;
  }
  return command.run(args);
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
