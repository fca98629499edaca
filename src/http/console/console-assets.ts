import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The browser code's entry (TypeScript, from a source checkout) and the bundle `npm run build` writes next to dist/. */
const SOURCE_ENTRY = [
  fileURLToPath(new URL('../../web-console/main.ts', import.meta.url)), // running src/ with tsx
  fileURLToPath(new URL('../../../src/web-console/main.ts', import.meta.url)), // dist/ of a clone (npm run build)
].find((path) => existsSync(path));
const BUILT_BUNDLE = fileURLToPath(new URL('../../console/app.js', import.meta.url));

/** Bundles the console's browser code with esbuild (a devDependency: present in a clone, absent from an install). */
export async function bundleConsole(options: { minify?: boolean; outfile?: string } = {}): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [SOURCE_ENTRY ?? 'src/web-console/main.ts'],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: options.minify ?? true,
    write: options.outfile !== undefined,
    outfile: options.outfile ?? 'app.js',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return options.outfile !== undefined ? await readFile(options.outfile, 'utf8') : result.outputFiles![0]!.text;
}

let script: Promise<string> | undefined;

/**
 * The console's JavaScript: the bundle `npm run build` wrote (dist/console/app.js), or, running from source
 * (`npm start` via tsx), bundled in memory on first request.
 */
export function consoleScript(): Promise<string> {
  script ??= (existsSync(BUILT_BUNDLE) ? readFile(BUILT_BUNDLE, 'utf8') : bundleConsole()).catch((err: unknown) => {
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
