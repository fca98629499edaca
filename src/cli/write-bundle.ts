// `npm run build`, last step (run with tsx; not part of dist/): bundles the CLI (src/cli.ts and everything it loads,
// dependencies included) with esbuild into dist/cli.js. One file to read and compile instead of ~380 modules to
// resolve, stat and read is most of the startup time and ~13 MiB of an idle server's RSS (bench/RESULTS.md, "Startup
// and idle memory"). The commands main.ts loads on demand stay separate chunks (dist/cli-chunks/), so `sign-url`, `push`
// and `--help` still never load the server. The library entry (dist/index.js and its typings) stays tsc's output;
// tsconfig.build.json leaves src/cli out of it.
//
// Left outside the bundle: better-sqlite3 (a native addon, found through its package) and ffmpeg-static (optional,
// looked up at run time). Paths to the package's own files (the console bundle, the fixtures) are found from the
// package root (src/shared/package-root.ts), not from the importing file, so they resolve the same from a chunk.
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHUNKS = 'cli-chunks';

/** How the CLI is bundled (test/cli/write-bundle.test.ts checks what its server chunk loads eagerly). */
export const BUNDLE_OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  chunkNames: `${CHUNKS}/[name]-[hash]`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', 'ffmpeg-static'],
  // Whitespace and syntax only: function names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS dependencies call require() for node built-ins: give the ESM output a real one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
} satisfies BuildOptions;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  rmSync(join(ROOT, 'dist', CHUNKS), { recursive: true, force: true });
  const started = Date.now();
  await build(BUNDLE_OPTIONS);
  const kib = Math.round(statSync(join(ROOT, 'dist', 'cli.js')).size / 1024);
  process.stdout.write(`cli bundle: dist/cli.js (${kib} KiB) + dist/${CHUNKS}/ in ${Date.now() - started} ms\n`);
}
