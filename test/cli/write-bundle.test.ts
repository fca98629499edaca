import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE_OPTIONS } from '../../src/cli/write-bundle.js';

/** Every input the output `file` loads before it runs: its own and those of the chunks it imports statically. */
function eagerInputs(meta: Metafile, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const output = meta.outputs[file]!;
  const inputs = new Set(Object.keys(output.inputs));
  for (const imported of output.imports) {
    if (imported.kind !== 'import-statement' || imported.external) continue;
    for (const input of eagerInputs(meta, imported.path, seen)) inputs.add(input);
  }
  return inputs;
}

describe('the CLI bundle', () => {
  it('loads Fastify only with the admin app, not with the server that answers OSS requests and the health check', async () => {
    const { metafile } = await build({ ...BUNDLE_OPTIONS, write: false, metafile: true, logLevel: 'silent' });
    const outputOf = (input: string) => {
      const found = Object.entries(metafile.outputs).find(([, o]) => input in o.inputs);
      expect(found, `the output holding ${input}`).toBeDefined();
      return found![0];
    };
    const fastify = (inputs: Set<string>) => [...inputs].filter((i) => i.includes('node_modules/fastify/'));

    const server = eagerInputs(metafile, outputOf('src/emulator.ts'));
    expect(server.has('src/http/oss-front.ts')).toBe(true);
    expect(server.has('src/http/health-check.ts')).toBe(true);
    expect(fastify(server)).toEqual([]);

    const admin = eagerInputs(metafile, outputOf('src/http/admin-app.ts'));
    expect(fastify(admin).length).toBeGreaterThan(0);
  }, 60_000);
});
