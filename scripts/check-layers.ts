// The folder layers of src/ (README "How it is built"), checked on every `npm test`:
//   1. no import cycle between folders of src/ (every folder counts: media/ts is a folder apart from media; a file at the
//      root of src/ counts as a folder of its own);
//   2. no import from a lower layer back up, in the order of LAYERS below;
//   3. every file of src/ belongs to a layer (a new folder is placed here, deliberately).
// File-level cycles are ESLint's job (import-x/no-cycle in eslint.config.js); this is the picture one level up.
//
//   npx tsx scripts/check-layers.ts                 exits 1 on any finding
//   npx tsx scripts/check-layers.ts --report-only   prints the findings, exits 0
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface Layer {
  /** A folder of src/ (with everything under it unless a deeper entry claims it), or one file at the root of src/. */
  path: string;
  /** Higher layers may import lower ones and their own; never the other way. */
  rank: number;
  /** If set, only these layers (by path) may import this one (push/ is tooling the server must not depend on). */
  importableOnlyBy?: readonly string[];
}

const TOP = 5;
const ENTRY_POINTS = ['cli', 'cli.ts', 'config.ts', 'emulator.ts', 'index.ts', 'testing'];

/** cli/emulator → http, live → oss → oss/wire, auth → store, media; push/ standalone; shared/ (clock, logger), events/ (the event bus) and faults/ (injected-fault rules)
 * under all. */
export const LAYERS: readonly Layer[] = [
  ...ENTRY_POINTS.map((path) => ({ path, rank: TOP })),
  // The public test view emulator.ts hands out (emu.state, emu.waitFor…): reads the store, the live registry, the events.
  { path: 'api', rank: 4 },
  { path: 'http', rank: 4 },
  { path: 'live', rank: 4 },
  { path: 'net', rank: 4 },
  { path: 'oss', rank: 3 },
  { path: 'oss/wire', rank: 2 },
  { path: 'auth', rank: 2 },
  { path: 'store', rank: 1 },
  { path: 'media', rank: 1 },
  { path: 'push', rank: 1, importableOnlyBy: ENTRY_POINTS },
  { path: 'events', rank: 0 },
  { path: 'faults', rank: 0 },
  { path: 'shared', rank: 0 },
  // Browser code of the web console: bundled by http/console with esbuild (by path), imported by no server code.
  { path: 'web-console', rank: 0, importableOnlyBy: [] },
  { path: 'clock.ts', rank: 0 },
  { path: 'logger.ts', rank: 0 },
];

/** One import between two files of src/, paths relative to src/ with forward slashes. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

export interface Finding {
  kind: 'cycle' | 'upward' | 'unplaced';
  message: string;
}

/** The layer a file belongs to: the deepest folder entry containing it, or its own root-file entry. */
export function layerOf(file: string, layers: readonly Layer[] = LAYERS): Layer | undefined {
  let best: Layer | undefined;
  for (const layer of layers) {
    const owns = layer.path === file || file.startsWith(`${layer.path}/`);
    if (owns && (!best || layer.path.length > best.path.length)) best = layer;
  }
  return best;
}

/** The node of the folder graph: a file's folder; a file at the root of src/ is a node of its own (clock.ts, emulator.ts). */
const folderOf = (file: string): string => (posix.dirname(file) === '.' ? file : posix.dirname(file));
const describeFolder = (folder: string): string => (folder.endsWith('.ts') ? `src/${folder}` : `src/${folder}/`);

/** Strongly connected components of a directed graph with more than one node (Tarjan). */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** Every finding for these imports among these files. */
export function checkLayers(files: readonly string[], edges: readonly ImportEdge[], layers: readonly Layer[] = LAYERS): Finding[] {
  const findings: Finding[] = [];

  for (const file of files) {
    if (!layerOf(file, layers)) {
      findings.push({ kind: 'unplaced', message: `src/${file} is in no layer: place its folder in LAYERS (scripts/check-layers.ts)` });
    }
  }

  for (const edge of edges) {
    const from = layerOf(edge.from, layers);
    const to = layerOf(edge.to, layers);
    if (!from || !to || from === to) continue;
    const where = `src/${edge.from}:${edge.line} imports src/${edge.to}`;
    if (to.importableOnlyBy && !to.importableOnlyBy.includes(from.path)) {
      findings.push({ kind: 'upward', message: `${where}: ${to.path} may be imported only by ${to.importableOnlyBy.join(', ')}` });
    } else if (to.rank > from.rank) {
      findings.push({
        kind: 'upward',
        message: `${where}: ${from.path} (layer ${from.rank}) reaches up into ${to.path} (layer ${to.rank})`,
      });
    }
  }

  const graph = new Map<string, Set<string>>();
  const example = new Map<string, ImportEdge>();
  for (const edge of edges) {
    const a = folderOf(edge.from);
    const b = folderOf(edge.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
    if (!example.has(`${a}\n${b}`)) example.set(`${a}\n${b}`, edge);
  }
  for (const component of cycles(graph)) {
    const inCycle = new Set(component);
    const links = [...example.entries()]
      .filter(([key]) => key.split('\n').every((folder) => inCycle.has(folder)))
      .map(([, e]) => `    src/${e.from}:${e.line} -> src/${e.to}`);
    findings.push({ kind: 'cycle', message: `import cycle between ${component.map(describeFolder).join(', ')}:\n${links.join('\n')}` });
  }
  return findings;
}

/** The .ts files under `srcDir`, relative to it with forward slashes. */
export function sourceFiles(srcDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) out.push(relative(srcDir, path).split(sep).join('/'));
    }
  };
  walk(srcDir);
  return out;
}

/** The relative imports (static, type-only, re-exports and dynamic) of each file, resolved to files of src/. */
export function importEdges(srcDir: string, files: readonly string[]): ImportEdge[] {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const text = readFileSync(join(srcDir, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const imported of importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file), imported.fileName));
      const candidates = [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.d.ts'), `${target}.ts`, `${target}/index.ts`, target];
      const to = candidates.find((c) => known.has(c));
      if (!to) continue; // outside src/ or missing: tsc reports the latter
      const line = ts.getLineAndCharacterOfPosition(ts.createSourceFile(file, text, ts.ScriptTarget.Latest), imported.pos).line + 1;
      edges.push({ from: file, to, line });
    }
  }
  return edges;
}

function main(argv: readonly string[]): number {
  const reportOnly = argv.includes('--report-only');
  const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const files = sourceFiles(srcDir);
  const findings = checkLayers(files, importEdges(srcDir, files));
  if (findings.length === 0) {
    console.log(`check-layers: ${files.length} files of src/, no folder cycle, no upward import`);
    return 0;
  }
  for (const f of findings) console.log(`check-layers ${f.kind}: ${f.message}`);
  console.log(`check-layers: ${findings.length} finding(s)${reportOnly ? ' (report only: not failing yet)' : ''}`);
  return reportOnly ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
