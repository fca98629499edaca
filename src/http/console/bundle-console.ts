// Build-time only (excluded from dist/): bundles the web console's browser code with esbuild, a devDependency.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const SOURCE_ENTRY = fileURLToPath(new URL('../../web-console/main.ts', import.meta.url));

export async function bundleConsole(options: { minify?: boolean; outfile?: string } = {}): Promise<string> {
  if (!existsSync(SOURCE_ENTRY)) throw new Error(`no console sources at ${SOURCE_ENTRY}`);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [SOURCE_ENTRY],
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
