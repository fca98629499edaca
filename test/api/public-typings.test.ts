// What a user of the package sees: the entry's exports and the declarations the build publishes for it. The store, the
// live registry and the benchmark probe stay internal (src/testing/internal.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as entry from '../../src/index.js';
import { execFileAsync as run, repoPath } from '../helpers/repo-files.js';

/** The declaration files reachable from `index.d.ts` through relative imports and re-exports. */
function reachable(outDir: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) visit(resolve(dirname(file), `${m[1]}.d.ts`));
  };
  visit(join(outDir, 'index.d.ts'));
  return seen;
}

describe('the public API', () => {
  it('exports the test view and no internals', () => {
    expect(Object.keys(entry)).toEqual(expect.arrayContaining(['startEmulator', 'EventTimeoutError']));
    expect(Object.keys(entry)).not.toContain('internalsOf');
    expect(Object.keys(entry)).not.toContain('startInstrumentedEmulator');
  });

  it('publishes typings in which the Emulator has its view and neither the store nor the ingest probe', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'emu-typings-'));
    try {
      await run(
        process.execPath,
        [repoPath('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', out],
        {
          cwd: repoPath(),
        },
      );
      const files = reachable(out);
      const emulator = files.get(join(out, 'emulator.d.ts'))!;
      expect(emulator).toMatch(/export interface Emulator extends ChannelWaits \{/);
      expect(emulator).toMatch(/\bstate: EmulatorState;/);
      for (const [file, text] of files) {
        expect(text, file).not.toMatch(/\bservices\??:|\binternalsOf\b|\bingest\?:/);
        expect(text, file).not.toMatch(/store\/store\.js/);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
