// `npm run build` step (run with tsx, not part of dist/): writes dist/console/app.js, the console's browser bundle, so an
// installed package or the Docker image serves the console without esbuild.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleConsole } from './bundle-console.js';

const outfile = fileURLToPath(new URL('../../../dist/console/app.js', import.meta.url));
mkdirSync(dirname(outfile), { recursive: true });
const text = await bundleConsole({ outfile });
process.stdout.write(`console bundle: ${outfile} (${Math.round(text.length / 1024)} KiB)\n`);
