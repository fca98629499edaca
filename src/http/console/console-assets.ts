import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { packagePath } from '../../shared/package-root.js';

/** The bundle `npm run build` writes (dist/console/app.js). */
const BUILT_BUNDLE = packagePath('dist', 'console', 'app.js');
/** Running the sources (tsx, vitest): a dist/ left by an earlier build may be stale, so bundle what src/ says. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** From a source checkout (tsx), the bundler module is there; an install has the built bundle instead. */
async function bundleFromSource(): Promise<string> {
  try {
    // A variable specifier: tsc must not pull the build-time bundler (and esbuild, a devDependency) into dist/.
    const bundler = './bundle-console.js';
    const { bundleConsole } = (await import(bundler)) as { bundleConsole(): Promise<string> };
    return await bundleConsole();
  } catch (err) {
    throw new Error(`the web console bundle is missing (${BUILT_BUNDLE}) and cannot be built here: run npm run build (${String(err)})`);
  }
}

let script: Promise<string> | undefined;

/**
 * The console's JavaScript: the bundle `npm run build` wrote (dist/console/app.js), or, running from source
 * (`npm start` via tsx), bundled in memory with esbuild on first request.
 */
export function consoleScript(): Promise<string> {
  script ??= (!FROM_SOURCE && existsSync(BUILT_BUNDLE) ? readFile(BUILT_BUNDLE, 'utf8') : bundleFromSource()).catch((err: unknown) => {
    script = undefined;
    throw err;
  });
  return script;
}

let hls: Promise<Buffer> | undefined;

/** hls.js (its light build) from the installed package: served by the emulator itself, no CDN. */
export function hlsScript(): Promise<Buffer> {
  hls ??= readFile(createRequire(import.meta.url).resolve('hls.js/dist/hls.light.min.js'));
  return hls;
}

/** The page: a shell the bundle fills in. */
export function consoleHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>oss-live-emulator console</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app">Loading the console…</div>
<script src="/-/console/hls.js"></script>
<script src="/-/console/app.js"></script>
</body>
</html>
`;
}
