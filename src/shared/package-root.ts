import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'oss-live-emulator';

/** The folder holding this package's package.json, found by walking up from `from` (a file or folder inside it). */
export function findPackageRoot(from: string): string {
  for (let dir = from; ;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // Not ours (or unreadable): keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ${PACKAGE_NAME} above ${from}`);
    dir = parent;
  }
}

let root: string | undefined;

/**
 * The package's own files (fixtures/, dist/console/) by their path from the package root: the same answer from src/
 * (tsx), from tsc's dist/ and from the bundled dist/cli.js and its chunks, where a path relative to the importing
 * file would differ.
 */
export function packagePath(...segments: string[]): string {
  root ??= findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  return join(root, ...segments);
}
