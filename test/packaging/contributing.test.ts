// CONTRIBUTING.md stays in step with the tree: every concrete path it names exists, and the commands it lists are
// package.json scripts.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageJson, readRepoFile, repoPath } from '../helpers/repo-files.js';

const guide = readRepoFile('CONTRIBUTING.md');

describe('CONTRIBUTING.md', () => {
  it('names only source files and folders, test files and scripts that exist', () => {
    const paths = [...guide.matchAll(/`((?:src|test|scripts)\/[^`\s]*)`/g)]
      .map((m) => m[1]!)
      // placeholders (<kebab-name>) and the x/y example, and test folders that a first test creates
      .filter((p) => !p.includes('<') && !/\/x\//.test(p) && !(p.startsWith('test/') && p.endsWith('/')));
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) expect(existsSync(repoPath(path)), path).toBe(true);
  });

  it('lists only npm scripts that package.json has', () => {
    const scripts = packageJson().scripts;
    const used = [...guide.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]!);
    expect(used).toEqual(expect.arrayContaining(['lint', 'lint:layers', 'format', 'format:check', 'bench']));
    for (const name of used) expect(scripts[name], `npm run ${name}`).toBeDefined();
    expect(scripts.test).toContain('npm run lint');
  });
});
