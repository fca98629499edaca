// The one flag parser of the command line. Each command declares a table of FlagSpecs; parsing, the environment
// fallbacks and the --help text are all generated from that table.

/** Bad flags or environment values: the command prints the message and exits 2. */
export class ConfigError extends Error {}

interface FlagCommon {
  /** `--name`; also accepted as `--name=value`. */
  flag: string;
  /** A one-letter alias (`-h`). */
  short?: string;
  /** The environment variable read when the flag is not given (flags win). */
  env?: string;
  help: string;
  /** Accepted but left out of --help (sign-url takes every serve flag and lists the ones it uses). */
  hidden?: boolean;
}

/** A flag taking a value: `--http-port 8080` or `--http-port=8080`. */
export interface ValueFlagSpec<T> extends FlagCommon {
  /** How the value is shown in --help (`PORT`). */
  value: string;
  apply(target: T, raw: string): void;
}

/** A switch: `--in-memory` alone turns it on; `--in-memory=0` or its env variable set to 0/false/off/no turn it off. */
export interface SwitchFlagSpec<T> extends FlagCommon {
  value?: undefined;
  /** The environment variable says the opposite of the flag (`OSS_EMULATOR_AUTH=off` is `--no-auth`). */
  envInverted?: boolean;
  apply(target: T, on: boolean): void;
}

export type FlagSpec<T> = ValueFlagSpec<T> | SwitchFlagSpec<T>;

/** How environment variables and `--switch=value` read as a boolean. */
export const truthy = (raw: string): boolean => !['', '0', 'false', 'off', 'no'].includes(raw.toLowerCase());

/** `--help` or `-h` anywhere before a `--`: help wins over every other flag, even a bad one. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Environment first (each spec's `env`, when set and not empty), then the flags of `argv` in order (flags win).
 * Anything not starting with `-` is a positional argument, as is everything after `--`. Throws ConfigError for an
 * unknown flag, a missing value, or whatever a spec's `apply` refuses.
 */
export function parseFlags<T>(specs: readonly FlagSpec<T>[], argv: readonly string[], env: NodeJS.ProcessEnv, target: T): string[] {
  for (const spec of specs) {
    const raw = spec.env === undefined ? undefined : env[spec.env];
    if (raw === undefined || raw === '') continue;
    if (spec.value === undefined) spec.apply(target, truthy(raw) !== (spec.envInverted ?? false));
    else spec.apply(target, raw);
  }
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = specs.find((s) => s.flag === name || (s.short !== undefined && `-${s.short}` === name));
    if (!spec) throw new ConfigError(`unknown flag ${name} (see --help)`);
    if (spec.value === undefined) {
      spec.apply(target, inline === undefined || truthy(inline));
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    spec.apply(target, value);
  }
  return positionals;
}

const HELP_COLUMN = 34;
const HELP_WIDTH = 120;

/** `text` in lines of at most HELP_WIDTH, each after `indent` (the first after `first`). */
function wrap(first: string, indent: string, text: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    if (line.length > indent.length && line.length + 1 + word.length > HELP_WIDTH && line !== first) {
      lines.push(line);
      line = `${indent} ${word}`;
    } else line = line === first ? `${first} ${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The --help lines of a table: flag and value, what it does, and its environment variable on the line below. */
export function flagHelp<T>(specs: readonly FlagSpec<T>[]): string {
  const lines: string[] = [];
  for (const spec of specs) {
    if (spec.hidden) continue;
    const names = spec.short ? `-${spec.short}, ${spec.flag}` : spec.flag;
    const left = `  ${names}${spec.value ? ` ${spec.value}` : ''}`;
    const indent = ''.padEnd(HELP_COLUMN);
    lines.push(
      left.length < HELP_COLUMN ? wrap(left.padEnd(HELP_COLUMN), indent, spec.help) : `${left}\n${wrap(indent, indent, spec.help)}`,
    );
    if (spec.env) lines.push(`${''.padEnd(HELP_COLUMN)} env ${spec.env}`);
  }
  return lines.join('\n');
}

/** The --help line every command accepts. */
export const HELP_LINE = `${'  -h, --help'.padEnd(HELP_COLUMN)} this text`;

/** Specs of one table applied to a part of another command's target (sign-url reads serve's flags into its Config). */
export function liftFlags<T, U>(
  specs: readonly FlagSpec<U>[],
  part: (target: T) => U,
  show?: (spec: FlagSpec<U>) => boolean,
): FlagSpec<T>[] {
  return specs.map((spec): FlagSpec<T> => {
    const hidden = spec.hidden || (show !== undefined && !show(spec));
    return spec.value === undefined
      ? { ...spec, hidden, apply: (t: T, on: boolean) => spec.apply(part(t), on) }
      : { ...spec, hidden, apply: (t: T, raw: string) => spec.apply(part(t), raw) };
  });
}
