// scripts/start.mjs (npm start): runs dist/ as built, and builds first when dist/ is missing or older than its inputs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/start.mjs';

const root = mkdtempSync(join(tmpdir(), 'start-stamp-'));
const project = mkdtempSync(join(tmpdir(), 'start-run-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);
function write(path: string, when: number): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '');
  utimesSync(join(root, path), at(when), at(when));
}
const touchDir = (path: string, when: number) => utimesSync(join(root, path), at(when), at(when));

describe('npm start: is dist/ fresh?', () => {
  it('says dist/ is missing before the first build, and that the console bundle is missing after a bare tsc', () => {
    write('src/cli/main.ts', 10);
    write('package.json', 10);
    write('tsconfig.json', 10);
    expect(staleReason(root)).toBe('dist/ missing');
    write('dist/cli.js', 20);
    expect(staleReason(root)).toBe('dist/console missing');
  });

  it('is fresh when every input is older than the stamp (dist/cli.js)', () => {
    write('dist/console/app.js', 20);
    touchDir('src/cli', 10);
    touchDir('src', 10);
    expect(staleReason(root)).toBeUndefined();
  });

  it('sees a source saved after the build, deep in src/', () => {
    write('src/cli/main.ts', 30);
    expect(staleReason(root)).toBe('src changed');
    write('dist/cli.js', 40);
    expect(staleReason(root)).toBeUndefined();
  });

  it('sees a source file removed (its folder changes) and a changed package.json or tsconfig', () => {
    touchDir('src/cli', 50);
    expect(staleReason(root)).toBe('src changed');
    write('dist/cli.js', 60);
    write('package.json', 70);
    expect(staleReason(root)).toBe('package.json changed');
    write('dist/cli.js', 80);
    write('tsconfig.json', 90);
    expect(staleReason(root)).toBe('tsconfig.json changed');
  });
});

describe('npm start: one command', () => {
  // A project with the real start script and a stand-in build (writes a dist/cli.js that prints its arguments).
  const fakeBuild =
    "const fs=require('fs');fs.mkdirSync('dist/console',{recursive:true});fs.writeFileSync('dist/console/app.js','');" +
    "fs.writeFileSync('dist/cli.js','process.stdout.write(JSON.stringify(process.argv.slice(2)))');console.log('build output')";
  const start = (...args: string[]) =>
    spawnSync(process.execPath, [join(project, 'scripts/start.mjs'), ...args], { cwd: project, encoding: 'utf8', timeout: 60_000 });

  it('builds a missing dist/ first, saying why on stderr (stdout stays the CLI’s), then runs it with the arguments', () => {
    mkdirSync(join(project, 'scripts'));
    mkdirSync(join(project, 'src'));
    copyFileSync(join(import.meta.dirname, '../../scripts/start.mjs'), join(project, 'scripts/start.mjs'));
    writeFileSync(join(project, 'src/a.ts'), '');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module', scripts: { build: `node -e "${fakeBuild}"` } }));
    const first = start('sign-url', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('["sign-url","--json"]');
    expect(first.stderr).toMatch(/^building dist\/ \(dist\/ missing\) …\n[\s\S]*build output[\s\S]*built dist\/ in/);
  });

  it('starts without building when dist/ is fresh, and rebuilds after a source changes', () => {
    const warm = start('--help');
    expect(warm.stdout).toBe('["--help"]');
    expect(warm.stderr).toBe('');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(project, 'src/a.ts'), later, later);
    expect(start().stderr).toContain('building dist/ (src changed) …');
  });
});
