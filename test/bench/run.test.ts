// bench/run.ts (npm run bench): the --emulator flag the README names, checked as a user types it (no benchmark runs).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run bench -- --emulator', () => {
  it('is listed by --help with its two values', () => {
    const help = bench('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/--emulator BUILD\s+the emulator's code: dist \(default[^\n]*\n\s+or src/);
  });

  it('refuses anything but dist or src before starting a server', () => {
    const bad = bench('startup', '--emulator', 'sources');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('--emulator must be dist or src, got sources\n');
    expect(bad.stdout).toBe('');
  });
});
