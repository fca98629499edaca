// README.md stays in step with the CLI and the files it points to.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serveFlags } from '../../src/cli/serve-flags.js';
import { readRepoFile, repoPath } from '../helpers/repo-files.js';

const readme = readRepoFile('README.md');

/** The text of a `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README has no "## ${heading}" section`);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next === -1 ? undefined : next);
}

/** Rows of the first markdown table in `text`, as cells (header and separator dropped). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((l) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim()),
  );
}

describe('README.md', () => {
  it('keeps the Quick start commands `npm start` and `npm test`', () => {
    const quickStart = section('Quick start');
    expect(quickStart).toMatch(/```sh\nnpm ci\nnpm start\b/);
    expect(quickStart).toMatch(/```sh\nnpm test\n```/);
  });

  it('has the user-facing sections, in order', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'Quick start',
      'Web console',
      'Point OBS at it',
      'Use it from a test suite',
      'Docker and docker-compose in CI',
      'Configuration',
      'Benchmarks and resilience',
      'Behaviour notes and gaps',
      'How it is built',
    ]);
  });

  it('documents every CLI flag with its environment variable, and no flag the CLI lacks', () => {
    const rows = tableRows(section('Configuration'));
    const documented = new Map(rows.map(([flag, env]) => [/`(--[a-z-]+)/.exec(flag ?? '')?.[1], env ?? '']));
    for (const spec of serveFlags) {
      expect(documented.has(spec.flag), `${spec.flag} missing from the Configuration table`).toBe(true);
      expect(documented.get(spec.flag), `${spec.flag} should name ${spec.env}`).toContain(spec.env);
    }
    const known = new Set(serveFlags.map((s) => s.flag));
    for (const flag of documented.keys()) expect(known.has(flag!), `README documents unknown flag ${flag}`).toBe(true);
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(repoPath(link)), link).toBe(true);
  });

  it('links to headings that exist', () => {
    const anchors = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const [, anchor] of readme.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors.has(anchor!), `#${anchor}`).toBe(true);
  });

  it('names the admin API routes of INTERFACE.md', () => {
    for (const route of ['GET /-/health', 'POST /-/reset', 'GET /-/channels']) expect(readme).toContain(route);
  });

  it('draws every folder and root file of src/ in "How it is built", and names only paths that exist', () => {
    const built = section('How it is built');
    const named = [...built.matchAll(/`((?:src|test|scripts)\/[^`\s]*)`/g)].map((m) => m[1]!).filter((p) => !p.includes('<'));
    expect(named.length).toBeGreaterThan(10);
    for (const path of named) expect(existsSync(repoPath(path)), path).toBe(true);
    for (const entry of readdirSync(repoPath('src'), { withFileTypes: true })) {
      const path = entry.isDirectory() ? `src/${entry.name}/` : `src/${entry.name}`;
      if (entry.name.endsWith('.d.ts')) continue;
      expect(built, `${path} missing from "How it is built"`).toContain(`\`${path}\``);
    }
  });
});
