// src/shared/package-root.ts: the package's own files by their path from the package root, wherever the code runs from.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPackageRoot, packagePath } from '../../src/shared/package-root.js';

const REPO = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'package-root-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('package root', () => {
  it('walks up from a deep folder to the package.json named oss-live-emulator', () => {
    expect(findPackageRoot(join(REPO, 'src/http/console'))).toBe(REPO);
    expect(findPackageRoot(REPO)).toBe(REPO);
  });

  it('passes over a package.json of another package (or an unreadable one) on the way up', () => {
    const outer = join(tmp, 'project');
    const inner = join(outer, 'node_modules/other/lib');
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(outer, 'package.json'), JSON.stringify({ name: 'oss-live-emulator' }));
    writeFileSync(join(outer, 'node_modules/other/package.json'), JSON.stringify({ name: 'other' }));
    writeFileSync(join(inner, 'package.json'), '{ not json');
    expect(findPackageRoot(inner)).toBe(outer);
  });

  it('says where it looked when there is no such package above', () => {
    const lonely = join(tmp, 'lonely');
    mkdirSync(lonely);
    expect(() => findPackageRoot(lonely)).toThrow(/no package\.json of oss-live-emulator above .*lonely/);
  });

  it('names the shipped fixture from the package root', () => {
    const clip = packagePath('fixtures', '640x360-25fps-h264-aac.flv');
    expect(clip).toBe(join(REPO, 'fixtures/640x360-25fps-h264-aac.flv'));
    expect(existsSync(clip)).toBe(true);
  });
});
