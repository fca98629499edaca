// `npm run build` step: writes dist/console/app.js, the console's browser bundle, so an install needs no esbuild.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleConsole } from './console-assets.js';

const outfile = fileURLToPath(new URL('../../console/app.js', import.meta.url));
mkdirSync(dirname(outfile), { recursive: true });
const text = await bundleConsole({ outfile });
process.stdout.write(`console bundle: ${outfile} (${Math.round(text.length / 1024)} KiB)\n`);
