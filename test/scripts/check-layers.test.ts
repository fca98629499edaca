import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayers, cycles, importEdges, layerOf, LAYERS, sourceFiles, type ImportEdge } from '../../scripts/check-layers.js';

const edge = (from: string, to: string, line = 1): ImportEdge => ({ from, to, line });
const kinds = (files: string[], edges: ImportEdge[]) => checkLayers(files, edges).map((f) => f.kind);

describe('layerOf', () => {
  it('takes the deepest folder entry: oss/wire is its own layer, oss/live and oss/operations belong to oss', () => {
    expect(layerOf('oss/wire/xml.ts')?.path).toBe('oss/wire');
    expect(layerOf('oss/live/channel-urls.ts')?.path).toBe('oss');
    expect(layerOf('oss/operations/put-object.ts')?.path).toBe('oss');
    expect(layerOf('live/rtmp/rtmp-server.ts')?.path).toBe('live');
    expect(layerOf('emulator.ts')?.path).toBe('emulator.ts');
  });

  it('places nothing for an unknown folder, and a folder name that only starts like a layer is not that layer', () => {
    expect(layerOf('util/strings.ts')).toBeUndefined();
    expect(layerOf('ossx/a.ts')).toBeUndefined();
  });

  it('orders the layers as the README draws them', () => {
    const rank = (path: string) => LAYERS.find((l) => l.path === path)!.rank;
    expect(rank('emulator.ts')).toBeGreaterThan(rank('http'));
    expect(rank('http')).toBe(rank('live'));
    expect(rank('live')).toBeGreaterThan(rank('oss'));
    expect(rank('oss')).toBeGreaterThan(rank('oss/wire'));
    expect(rank('oss/wire')).toBe(rank('auth'));
    expect(rank('auth')).toBeGreaterThan(rank('store'));
    expect(rank('store')).toBe(rank('media'));
  });
});

describe('checkLayers', () => {
  it('accepts downward imports and imports inside one layer', () => {
    const files = ['emulator.ts', 'http/app.ts', 'oss/operations/put-object.ts', 'oss/wire/xml.ts', 'store/store.ts', 'clock.ts'];
    const edges = [
      edge('emulator.ts', 'http/app.ts'),
      edge('http/app.ts', 'oss/operations/put-object.ts'),
      edge('oss/operations/put-object.ts', 'oss/wire/xml.ts'),
      edge('oss/wire/xml.ts', 'store/store.ts'),
      edge('store/store.ts', 'clock.ts'),
    ];
    expect(checkLayers(files, edges)).toEqual([]);
  });

  it('reports an import from a lower layer back up, naming the file and line', () => {
    const findings = checkLayers(['store/store.ts', 'oss/operation.ts'], [edge('store/store.ts', 'oss/operation.ts', 7)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'upward' });
    expect(findings[0]!.message).toContain('src/store/store.ts:7 imports src/oss/operation.ts');
  });

  it('lets only the entry points import push/', () => {
    const files = ['cli.ts', 'live/ingest.ts', 'push/index.ts'];
    expect(kinds(files, [edge('cli.ts', 'push/index.ts')])).toEqual([]);
    expect(kinds(files, [edge('live/ingest.ts', 'push/index.ts')])).toEqual(['upward']);
  });

  it('reports a cycle between two folders of the same layer, with the imports that make it', () => {
    const files = ['http/app.ts', 'live/ingest.ts'];
    const findings = checkLayers(files, [edge('http/app.ts', 'live/ingest.ts', 3), edge('live/ingest.ts', 'http/app.ts', 9)]);
    expect(findings.map((f) => f.kind)).toEqual(['cycle']);
    expect(findings[0]!.message).toContain('src/http/, src/live/');
    expect(findings[0]!.message).toContain('src/live/ingest.ts:9 -> src/http/app.ts');
  });

  it('counts a subfolder as a folder: media ⇄ media/ts is a cycle although both are the media layer', () => {
    const files = ['media/hls-segmenter.ts', 'media/ts/muxer.ts', 'media/access-unit.ts'];
    const edges = [edge('media/hls-segmenter.ts', 'media/ts/muxer.ts'), edge('media/ts/muxer.ts', 'media/access-unit.ts')];
    expect(kinds(files, edges)).toEqual(['cycle']);
  });

  it('treats each file at the root of src/ as a folder of its own: emulator.ts → live → clock.ts is no cycle', () => {
    const files = ['emulator.ts', 'live/ingest.ts', 'clock.ts'];
    expect(checkLayers(files, [edge('emulator.ts', 'live/ingest.ts'), edge('live/ingest.ts', 'clock.ts')])).toEqual([]);
  });

  it('reports a file in a folder no layer claims', () => {
    const findings = checkLayers(['util/strings.ts'], []);
    expect(findings).toEqual([{ kind: 'unplaced', message: expect.stringContaining('src/util/strings.ts is in no layer') }]);
  });
});

describe('cycles', () => {
  it('finds each strongly connected component once, and none in a DAG', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['e'])],
      ['e', new Set<string>()],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    graph.get('c')!.delete('a');
    expect(cycles(graph)).toEqual([]);
  });
});

describe('importEdges', () => {
  const src = mkdtempSync(join(tmpdir(), 'check-layers-'));
  afterAll(() => rmSync(src, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(src, file)), { recursive: true });
    writeFileSync(join(src, file), text);
  };

  it('reads static, type-only, re-export and dynamic imports, resolves .js to .ts, and skips packages', () => {
    write(
      'oss/operation.ts',
      "import { z } from 'fastify';\nimport type { Store } from '../store/store.js';\nexport { xml } from './wire/xml.js';\n",
    );
    write('oss/wire/xml.ts', 'export const xml = 1;\n');
    write('store/store.ts', "export class Store {}\nexport const later = () => import('../oss/wire/xml.js');\n");
    const files = sourceFiles(src);
    expect(files).toEqual(['oss/operation.ts', 'oss/wire/xml.ts', 'store/store.ts']);
    expect(importEdges(src, files)).toEqual([
      { from: 'oss/operation.ts', to: 'store/store.ts', line: 2 },
      { from: 'oss/operation.ts', to: 'oss/wire/xml.ts', line: 3 },
      { from: 'store/store.ts', to: 'oss/wire/xml.ts', line: 2 },
    ]);
  });
});

describe('LAYERS', () => {
  it('puts shared/ under every other layer: anything may import it, it imports nothing above', () => {
    expect(checkLayers(['store/store.ts', 'shared/clock.ts'], [edge('store/store.ts', 'shared/clock.ts')])).toEqual([]);
    expect(kinds(['shared/clock.ts', 'store/store.ts'], [edge('shared/clock.ts', 'store/store.ts')])).toEqual(['upward']);
  });
});
