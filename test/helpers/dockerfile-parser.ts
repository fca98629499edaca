// A small Dockerfile reader for the packaging tests: enough of the syntax to check our own Dockerfiles without a
// Docker engine (line continuations, comments, exec/shell form, --flags, ENV pairs). Not a general implementation.

export const KNOWN_INSTRUCTIONS = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

export interface Instruction {
  keyword: string;
  /** Leading `--name=value` options (COPY --from, HEALTHCHECK --interval, ...). */
  flags: Record<string, string>;
  /** The rest of the line after the flags, continuations joined with a space. */
  args: string;
  /** The JSON array when the arguments are in exec form, e.g. CMD ["serve"]. */
  exec: string[] | undefined;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
}

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(args);
    if (!m) break;
    flags[m[1]!] = m[2] ?? 'true';
    args = args.slice(m[0].length);
  }
  return { flags, args };
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Logical lines: comments dropped (also inside continuations, as Docker does), `\`-continued lines joined. */
function logicalLines(text: string): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  let current: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return;
    if (!current && trimmed === '') return;
    const continued = /\\\s*$/.test(raw);
    const piece = continued ? raw.replace(/\\\s*$/, '') : raw;
    if (current) current.text += ` ${piece.trim()}`;
    else current = { text: piece.trim(), line: i + 1 };
    if (!continued) {
      out.push({ text: current.text.trim(), line: current.line });
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

export function parseDockerfile(text: string): Dockerfile {
  const result: Dockerfile = { globalArgs: [], stages: [] };
  for (const { text: lineText, line } of logicalLines(text)) {
    const m = /^(\S+)\s*(.*)$/s.exec(lineText);
    if (!m) continue;
    const keyword = m[1]!.toUpperCase();
    let rest = m[2]!.trim();
    // HEALTHCHECK [options] CMD <command>: the options belong to HEALTHCHECK.
    const { flags, args } = splitFlags(`${rest} `);
    rest = args.trim();
    let exec = execForm(rest);
    if (keyword === 'HEALTHCHECK') {
      const cmd = /^CMD\s+(.*)$/s.exec(rest);
      exec = cmd ? (execForm(cmd[1]!.trim()) ?? ['/bin/sh', '-c', cmd[1]!.trim()]) : undefined;
    }
    const instruction: Instruction = { keyword, flags, args: rest, exec, line };
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`line ${line}: cannot read FROM ${rest}`);
      result.stages.push({ base: from[1]!, name: from[2]?.toLowerCase(), instructions: [] });
      continue;
    }
    const stage = result.stages.at(-1);
    if (!stage) {
      if (keyword !== 'ARG') throw new Error(`line ${line}: ${keyword} before the first FROM`);
      result.globalArgs.push(instruction);
      continue;
    }
    stage.instructions.push(instruction);
  }
  return result;
}

/** `ENV A=1 B="two words"` or the legacy `ENV A 1` as pairs. */
export function envPairs(instruction: Instruction): Record<string, string> {
  const pairs: Record<string, string> = {};
  const args = instruction.args;
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/s.exec(args);
    if (m) pairs[m[1]!] = m[2]!;
    return pairs;
  }
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const m of args.matchAll(re)) {
    const raw = m[2]!;
    pairs[m[1]!] = raw.startsWith('"') || raw.startsWith("'") ? raw.slice(1, -1) : raw;
  }
  return pairs;
}

/** COPY/ADD sources and destination, from exec or shell form. */
export function copyPaths(instruction: Instruction): { sources: string[]; dest: string } {
  const parts = instruction.exec ?? instruction.args.split(/\s+/).filter(Boolean);
  if (parts.length < 2) throw new Error(`line ${instruction.line}: ${instruction.keyword} needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

/** The shell commands of a RUN line, split at `&&`, `||` and `;`. */
export function runCommands(instruction: Instruction): string[] {
  const script = instruction.exec ? instruction.exec.join(' ') : instruction.args;
  return script
    .split(/&&|\|\||;/)
    .map((c) => c.trim())
    .filter(Boolean);
}

export const instructionsOf = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

/** The stage's WORKDIR at a given instruction (the last WORKDIR before it), `/` when none. */
export function workdirAt(stage: Stage, instruction: Instruction): string {
  let dir = '/';
  for (const i of stage.instructions) {
    if (i === instruction) break;
    if (i.keyword === 'WORKDIR') dir = i.args.startsWith('/') ? i.args : `${dir.replace(/\/$/, '')}/${i.args}`;
  }
  return dir;
}

/** An absolute container path for `path` written relative to `workdir`. */
export const containerPath = (workdir: string, path: string): string =>
  (path.startsWith('/') ? path : `${workdir.replace(/\/$/, '')}/${path}`)
    .replace(/\/\.\//g, '/')
    .replace(/\/\.$/, '')
    .replace(/\/+$/, '') || '/';

/**
 * A .dockerignore matcher: `*`, `?` and `**` globs against context-relative paths, a pattern also excluding what is
 * below it, `!` re-including, the last matching pattern winning.
 */
export function dockerignoreMatcher(text: string): (relPath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      const source = pattern
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '(?:.*)'
            : seg
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\(\?:\.\*\)\//g, '(?:.*/)?');
      return { negate, re: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (relPath) => {
    let excluded = false;
    for (const rule of rules) if (rule.re.test(relPath)) excluded = !rule.negate;
    return excluded;
  };
}
