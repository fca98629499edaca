// Static checks of the Dockerfile (no Docker engine on this machine): its stages, that every COPY finds its source in
// the build context or in an earlier stage, and that the runtime stage is configured as README promises.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveFlags } from '../../src/cli/serve-flags.js';
import {
  KNOWN_INSTRUCTIONS,
  containerPath,
  copyPaths,
  dockerignoreMatcher,
  envPairs,
  instructionsOf,
  parseDockerfile,
  runCommands,
  workdirAt,
  type Stage,
} from '../helpers/dockerfile-parser.js';
import { emulatorStages, loadDockerfile, packageJson, readRepoFile, repoPath } from '../helpers/repo-files.js';

const { file, build, runtime } = emulatorStages();
const ignored = dockerignoreMatcher(readRepoFile('.dockerignore'));
const envNames = new Set(serveFlags.map((s) => s.env));

const runtimeEnv = (): Record<string, string> => Object.assign({}, ...instructionsOf(runtime, 'ENV').map(envPairs));
const allRunCommands = (stage: Stage): string[] => instructionsOf(stage, 'RUN').flatMap(runCommands);

/** Container paths a stage creates: COPY destinations, plus node_modules (npm ci) and the tsc outDir (npm run build). */
function producedPaths(stage: Stage): string[] {
  const paths: string[] = [];
  for (const i of stage.instructions) {
    const workdir = workdirAt(stage, i);
    if (i.keyword === 'COPY' || i.keyword === 'ADD') {
      const { sources, dest } = copyPaths(i);
      const destPath = containerPath(workdir, dest);
      // `COPY a b ./` puts a and b inside the destination directory; `COPY src ./src` names the target.
      if (sources.length > 1 || dest.endsWith('/')) paths.push(...sources.map((s) => `${destPath}/${s.split('/').at(-1)}`));
      else paths.push(destPath);
    }
    if (i.keyword === 'RUN') {
      for (const cmd of runCommands(i)) {
        if (/^npm (ci|install)\b/.test(cmd)) paths.push(containerPath(workdir, 'node_modules'));
        const script = /^npm run (\S+)/.exec(cmd)?.[1];
        if (script === 'build') {
          const project = /tsc -p (\S+)/.exec(packageJson().scripts.build ?? '')?.[1] ?? 'tsconfig.json';
          const outDir = (JSON.parse(readRepoFile(project)) as { compilerOptions?: { outDir?: string } }).compilerOptions?.outDir;
          if (outDir) paths.push(containerPath(workdir, outDir));
        }
      }
    }
  }
  return paths;
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, both on node:${NODE_VERSION}-bookworm-slim (22 by default), and only known instructions', () => {
    expect(file.stages.map((s) => s.base)).toEqual(['node:${NODE_VERSION}-bookworm-slim', 'node:${NODE_VERSION}-bookworm-slim']);
    expect(readRepoFile('Dockerfile')).toMatch(/^ARG NODE_VERSION=22$/m);
    for (const stage of file.stages) {
      for (const i of stage.instructions) expect(KNOWN_INSTRUCTIONS.has(i.keyword), `line ${i.line}: ${i.keyword}`).toBe(true);
    }
  });

  it('copies only sources that exist in the repository and are not excluded by .dockerignore', () => {
    const copies = file.stages.flatMap((s) => instructionsOf(s, 'COPY')).filter((i) => !i.flags.from);
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      for (const source of copyPaths(copy).sources) {
        expect(existsSync(repoPath(source)), `line ${copy.line}: COPY source ${source} is missing`).toBe(true);
        expect(ignored(source), `line ${copy.line}: ${source} is excluded by .dockerignore`).toBe(false);
      }
    }
  });

  it('copies from the build stage only paths that the build stage creates', () => {
    const made = producedPaths(build);
    const fromBuild = instructionsOf(runtime, 'COPY').filter((i) => i.flags.from);
    expect(fromBuild.length).toBeGreaterThanOrEqual(3);
    for (const copy of fromBuild) {
      expect(copy.flags.from).toBe('build');
      for (const source of copyPaths(copy).sources) {
        expect(made, `line ${copy.line}: ${source} is not produced by the build stage`).toContain(containerPath('/', source));
      }
    }
  });

  it('build stage: a C++ toolchain for better-sqlite3, and npm commands that cannot install ffmpeg-static', () => {
    const commands = allRunCommands(build);
    const apt = commands.find((c) => c.startsWith('apt-get install'));
    expect(apt).toBeDefined();
    for (const tool of ['python3', 'make', 'g++']) expect(apt!.split(/\s+/)).toContain(tool);
    const ci = commands.find((c) => c.startsWith('npm ci'));
    const prune = commands.find((c) => c.startsWith('npm prune'));
    expect(ci).toMatch(/--omit=optional\b/);
    expect(prune).toMatch(/--omit=dev\b/);
    expect(prune).toMatch(/--omit=optional\b/);
    for (const cmd of commands.filter((c) => c.startsWith('npm run '))) {
      const script = cmd.split(/\s+/)[2]!;
      expect(packageJson().scripts[script], `npm run ${script}`).toBeDefined();
    }
  });

  it('the lockfile agrees: ffmpeg-static is optional and better-sqlite3 is the only production package that builds at install', () => {
    const lock = JSON.parse(readRepoFile('package-lock.json')) as {
      packages: Record<string, { dev?: boolean; optional?: boolean; hasInstallScript?: boolean }>;
    };
    expect(lock.packages['node_modules/ffmpeg-static']?.optional).toBe(true);
    const building = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript && !p.dev && !p.optional)
      .map(([path]) => path);
    expect(building).toEqual(['node_modules/better-sqlite3']);
  });

  it('runtime stage: ffmpeg, listens on every interface, state in the /data volume, non-root, both ports exposed', () => {
    expect(
      allRunCommands(runtime)
        .find((c) => c.startsWith('apt-get install'))
        ?.split(/\s+/),
    ).toContain('ffmpeg');
    const env = runtimeEnv();
    expect(env).toMatchObject({ OSS_EMULATOR_HOST: '0.0.0.0', OSS_EMULATOR_DATA_DIR: '/data', FFMPEG_PATH: '/usr/bin/ffmpeg' });
    // Every variable the image sets is one the emulator reads (a renamed variable would be silently ignored).
    for (const name of Object.keys(env)) expect(envNames).toContain(name);
    const volumes = instructionsOf(runtime, 'VOLUME').flatMap((v) => v.exec ?? v.args.split(/\s+/));
    expect(volumes).toContain(env.OSS_EMULATOR_DATA_DIR);

    const users = instructionsOf(runtime, 'USER');
    const user = users.at(-1)?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    // The volume's mount point must belong to that user before USER switches to it, or the first write fails.
    const userLine = users.at(-1)!.line;
    const chown = instructionsOf(runtime, 'RUN')
      .filter((r) => r.line < userLine)
      .flatMap(runCommands)
      .find((c) => c.startsWith('chown'));
    expect(chown).toMatch(new RegExp(`^chown (-R )?${user}(:\\S+)? ${env.OSS_EMULATOR_DATA_DIR}$`));

    const exposed = instructionsOf(runtime, 'EXPOSE').flatMap((e) => e.args.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining(['8080', '1935']));
  });

  it('runtime stage: the entrypoint is the package bin by absolute path (docker run -w works), the default command is serve', () => {
    const [entrypoint] = instructionsOf(runtime, 'ENTRYPOINT');
    const [cmd] = instructionsOf(runtime, 'CMD');
    expect(entrypoint?.exec).toEqual(['node', `/app/${packageJson().bin['oss-live-emulator']}`]);
    expect(cmd?.exec).toEqual(['serve']);
  });

  it('runtime stage: HEALTHCHECK runs docker/healthcheck.mjs with node, at the path the image copies it to', () => {
    const [health] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(health?.exec?.[0]).toBe('node');
    const script = health!.exec![1]!;
    const copied = instructionsOf(runtime, 'COPY').find((c) => copyPaths(c).sources.includes('docker/healthcheck.mjs'));
    expect(copied).toBeDefined();
    expect(containerPath(workdirAt(runtime, copied!), copyPaths(copied!).dest)).toBe(script);
    // The script gives up before Docker's --timeout kills it, so a hung server reads as unhealthy, not as a timeout.
    const timeoutSec = Number(/^(\d+)s$/.exec(health!.flags.timeout ?? '30s')?.[1]);
    const scriptTimeoutMs = Number(/AbortSignal\.timeout\((\d+)\)/.exec(readRepoFile('docker/healthcheck.mjs'))?.[1]);
    expect(scriptTimeoutMs).toBeLessThan(timeoutSec * 1000);
  });

  it('installs apt packages without recommends and removes the apt lists in the same layer', () => {
    for (const stage of file.stages) {
      for (const runLine of instructionsOf(stage, 'RUN').filter((r) => r.args.includes('apt-get install'))) {
        expect(runLine.args, `line ${runLine.line}`).toContain('--no-install-recommends');
        expect(runLine.args, `line ${runLine.line}`).toContain('rm -rf /var/lib/apt/lists/*');
      }
    }
  });
});

describe('.dockerignore', () => {
  it('keeps host build output, state and VCS data out of the context', () => {
    for (const path of [
      'node_modules',
      'node_modules/fastify/package.json',
      'docker/example-app/node_modules/x',
      'dist/cli.js',
      '.oss-emulator/db.sqlite',
      '.git/HEAD',
      'test/http/auth.test.ts',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
    for (const path of [
      'package.json',
      'package-lock.json',
      'src/cli.ts',
      'fixtures/640x360-25fps-h264-aac.flv',
      'docker/healthcheck.mjs',
    ]) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe('docker/example-app/Dockerfile', () => {
  const dir = repoPath('docker/example-app');
  const app = loadDockerfile('docker/example-app/Dockerfile');

  it('is one node:20-bookworm-slim stage with ffmpeg whose COPY sources exist in its context', () => {
    expect(app.stages.map((s) => s.base)).toEqual(['node:20-bookworm-slim']);
    const stage = app.stages[0]!;
    expect(
      allRunCommands(stage)
        .find((c) => c.startsWith('apt-get install'))
        ?.split(/\s+/),
    ).toContain('ffmpeg');
    for (const copy of instructionsOf(stage, 'COPY')) {
      for (const source of copyPaths(copy).sources) expect(existsSync(join(dir, source)), source).toBe(true);
    }
  });

  it('runs a script it copied, and declares ali-oss', () => {
    const stage = app.stages[0]!;
    const [cmd] = instructionsOf(stage, 'CMD');
    expect(cmd?.exec?.[0]).toBe('node');
    const script = cmd!.exec![1]!;
    expect(instructionsOf(stage, 'COPY').some((c) => copyPaths(c).sources.includes(script))).toBe(true);
    expect(statSync(join(dir, script)).isFile()).toBe(true);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; type: string };
    expect(pkg.dependencies['ali-oss']).toBeDefined();
    expect(pkg.type).toBe('module');
    expect(dirname(join(dir, script))).toBe(dir);
  });
});

describe('Dockerfile parser', () => {
  it('joins continuations, skips comments inside them, and reads flags, exec form and ENV pairs', () => {
    const parsed = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG V=1',
        'FROM node:20 AS Build',
        'RUN a \\',
        '  # a comment in the middle',
        ' && b',
        'ENV A=1 \\',
        '    B="two words"',
        'ENV LEGACY some value',
        'COPY --from=build --chown=node:node /app/dist ./dist',
        'HEALTHCHECK --interval=5s CMD ["node", "x.mjs"]',
        'CMD serve --in-memory',
      ].join('\n'),
    );
    expect(parsed.globalArgs.map((a) => a.args)).toEqual(['V=1']);
    const stage = parsed.stages[0]!;
    expect(stage.name).toBe('build');
    expect(runCommands(stage.instructions[0]!)).toEqual(['a', 'b']);
    expect(envPairs(stage.instructions[1]!)).toEqual({ A: '1', B: 'two words' });
    expect(envPairs(stage.instructions[2]!)).toEqual({ LEGACY: 'some value' });
    expect(stage.instructions[3]!.flags).toEqual({ from: 'build', chown: 'node:node' });
    expect(copyPaths(stage.instructions[3]!)).toEqual({ sources: ['/app/dist'], dest: './dist' });
    expect(stage.instructions[4]!.flags).toEqual({ interval: '5s' });
    expect(stage.instructions[4]!.exec).toEqual(['node', 'x.mjs']);
    expect(stage.instructions[5]!.exec).toBeUndefined();
    expect(stage.instructions[5]!.args).toBe('serve --in-memory');
  });

  it('matches .dockerignore patterns like Docker: anchored at the root, ** across folders, ! re-includes', () => {
    const match = dockerignoreMatcher('node_modules\n**/*.log\ndocs\n!docs/keep.md\n/build/');
    expect(match('node_modules/a')).toBe(true);
    expect(match('src/node_modules')).toBe(false);
    expect(match('a.log')).toBe(true);
    expect(match('a/b/c.log')).toBe(true);
    expect(match('docs/x.md')).toBe(true);
    expect(match('docs/keep.md')).toBe(false);
    expect(match('build/out.js')).toBe(true);
    expect(match('buildx')).toBe(false);
  });
});
