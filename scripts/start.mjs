// `npm start [-- flags]`: runs the compiled CLI (dist/cli.js), building it first (`npm run build`) when it is missing or
// older than its sources, and says so on stderr. Plain JavaScript so that nothing needs compiling before it runs.
//
// The build stamp is dist/cli.js's modification time (tsc rewrites it on every build; after a build this script runs,
// it is set back to the time the build started, so a source saved during the build still counts as newer). Stale means:
// any file or folder under src/ newer than the stamp (a folder's time changes when a file is added or removed), or
// package.json, tsconfig.json or tsconfig.build.json newer than it, or the console bundle (dist/console/app.js) missing.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) of `dir` and everything under it. */
function newestUnder(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why dist/ must be built before it runs (`dist/ missing`, `src changed`, …), or undefined when it is fresh. */
export function staleReason(root = ROOT) {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) return 'dist/ missing';
  if (!existsSync(join(root, 'dist', 'console', 'app.js'))) return 'dist/console missing';
  const stamp = statSync(cli).mtimeMs;
  for (const file of BUILD_INPUTS) {
    const path = join(root, file);
    if (existsSync(path) && statSync(path).mtimeMs > stamp) return `${file} changed`;
  }
  if (newestUnder(join(root, 'src')) > stamp) return 'src changed';
  return undefined;
}

/**
 * `npm run build`, its output on stderr (stdout stays the CLI's, e.g. for `sign-url --json | jq`). child_process loads
 * only here: a fresh dist/ (every start but the first) does without it (~3 ms of `npm start`).
 */
async function build(reason) {
  const { spawnSync } = await import('node:child_process');
  process.stderr.write(`building dist/ (${reason}) …\n`);
  const started = new Date();
  // npm sets npm_execpath for the scripts it runs; run the same npm (with this node) rather than whatever is on PATH.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
    : spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    process.stderr.write(`npm run build failed (${result.error?.message ?? `exit status ${result.status}`}); not starting a stale dist/\n`);
    return false;
  }
  utimesSync(join(ROOT, 'dist', 'cli.js'), started, started);
  process.stderr.write(`built dist/ in ${((Date.now() - started.getTime()) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reason = staleReason();
  if (reason !== undefined && !(await build(reason))) process.exit(1);
  // dist/cli.js reads process.argv.slice(2): the flags after `npm start --`.
  await import(pathToFileURL(join(ROOT, 'dist', 'cli.js')).href);
}
