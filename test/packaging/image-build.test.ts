// SLOWER TEST (about 20-30 s: one TypeScript build). Without a Docker engine, this replays the Dockerfile by hand:
// the build context is the repository's files minus .dockerignore; the build stage gets exactly what its COPY lines
// copy and runs its `npm run` commands (npm ci/prune are replaced by a link to this checkout's node_modules: a clean
// install compiles better-sqlite3 for two minutes); the runtime stage gets exactly what its COPY lines copy, then the
// image's ENTRYPOINT/CMD/ENV/HEALTHCHECK are run with plain node. The same build output is packed with npm pack.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFlags } from '../../src/cli/serve-flags.js';
import {
  containerPath,
  copyPaths,
  dockerignoreMatcher,
  envPairs,
  instructionsOf,
  runCommands,
  workdirAt,
  type Stage,
} from '../helpers/dockerfile-parser.js';
import { REPO, emulatorStages, packageJson, run } from '../helpers/repo-files.js';

const { build, runtime } = emulatorStages();
const pkg = packageJson();

let tmp: string;
/** Every file of the working tree git would see (tracked and untracked, not ignored): what a clean checkout holds. */
let checkout: string;
/** Root of the build stage's filesystem, and of the runtime stage's. */
let buildFs: string;
let runtimeFs: string;
const buildLog: string[] = [];
/** The file list of `npm pack --dry-run`, for the entry-point test after it. */
let packedFiles: string[] = [];
let buildResult: { code: number; stdout: string; stderr: string } | undefined;

const inFs = (root: string, path: string) => join(root, path);

/** Replays a stage's COPY lines into `root`, taking each source from where `locate` says (context or earlier stage). */
function copyInto(
  root: string,
  stage: Stage,
  locate: (fromStage: string | undefined, source: string) => string,
  keep: (abs: string) => boolean,
) {
  for (const copy of instructionsOf(stage, 'COPY')) {
    const { sources, dest } = copyPaths(copy);
    const destPath = containerPath(workdirAt(stage, copy), dest);
    for (const source of sources) {
      const target =
        sources.length > 1 || dest.endsWith('/') ? join(inFs(root, destPath), source.split('/').at(-1)!) : inFs(root, destPath);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(locate(copy.flags.from, source), target, { recursive: true, filter: keep, verbatimSymlinks: true });
    }
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'oss-emu-image-'));
  checkout = join(tmp, 'checkout');
  buildFs = join(tmp, 'build-fs');
  runtimeFs = join(tmp, 'runtime-fs');

  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO });
  expect(listed.code).toBe(0);
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    const src = join(REPO, rel);
    if (!existsSync(src) || !statSync(src).isFile()) continue; // deleted in the working tree
    mkdirSync(dirname(join(checkout, rel)), { recursive: true });
    cpSync(src, join(checkout, rel));
  }

  // Build stage: only what COPY brings from the context (the checkout minus .dockerignore).
  const ignored = dockerignoreMatcher(readFileSync(join(checkout, '.dockerignore'), 'utf8'));
  const inContext = (abs: string) => !abs.startsWith(checkout) || !ignored(relative(checkout, abs).split('\\').join('/'));
  const locate = (fromStage: string | undefined, source: string) => {
    if (fromStage === undefined) return join(checkout, source);
    expect(fromStage).toBe('build');
    return inFs(buildFs, containerPath('/', source));
  };
  copyInto(buildFs, build, locate, inContext);
  for (const runLine of instructionsOf(build, 'RUN')) {
    const cwd = inFs(buildFs, workdirAt(build, runLine));
    for (const cmd of runCommands(runLine)) {
      if (/^npm ci\b/.test(cmd)) {
        symlinkSync(join(REPO, 'node_modules'), join(cwd, 'node_modules'), 'dir');
        buildLog.push(`${cmd}  -> linked ${REPO}/node_modules`);
      } else if (/^npm run \S+/.test(cmd)) {
        const script = cmd.split(/\s+/)[2]!;
        buildResult = await run('npm', ['run', script], { cwd, timeoutMs: 180_000 });
        buildLog.push(`${cmd}  -> exit ${buildResult.code}`);
      } else {
        buildLog.push(`${cmd}  -> skipped`);
      }
    }
  }

  // Runtime stage: COPY --from=build out of the build stage's filesystem, plain COPY out of the context.
  // A failed build leaves nothing to copy; the first test then reports the build's own output.
  if (buildResult?.code === 0) copyInto(runtimeFs, runtime, locate, inContext);
}, 240_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const runtimeWorkdir = () => inFs(runtimeFs, workdirAt(runtime, runtime.instructions.at(-1)!));
const imageEnv = (): Record<string, string> => Object.assign({}, ...instructionsOf(runtime, 'ENV').map(envPairs));
// The image's WORKDIR is /app: its absolute paths map to the replayed runtime layout.
const entrypoint = () => instructionsOf(runtime, 'ENTRYPOINT')[0]!.exec!.map((a) => a.replace(/^\/app\//, ''));
const defaultCmd = () => instructionsOf(runtime, 'CMD')[0]!.exec!;

describe('the Docker build, replayed without Docker', () => {
  it('runs the build stage’s npm commands successfully (npm run build compiles src/ with tsc)', () => {
    expect(buildLog.some((l) => l.startsWith('npm run build'))).toBe(true);
    expect(buildResult?.code, `${buildLog.join('\n')}\n${buildResult?.stdout}\n${buildResult?.stderr}`).toBe(0);
  });

  it('leaves in the runtime stage only the package bin, node_modules, package.json and the fixtures: no sources', () => {
    const root = runtimeWorkdir();
    expect(existsSync(join(root, pkg.bin['oss-live-emulator']!))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).type).toBe('module');
    expect(existsSync(join(root, 'fixtures/640x360-25fps-h264-aac.flv'))).toBe(true);
    expect(existsSync(join(root, 'src'))).toBe(false);
    expect(existsSync(join(root, 'test'))).toBe(false);
  });

  it('prints every flag and its variable from `node dist/cli.js --help` in the runtime layout', async () => {
    const [node, ...args] = entrypoint();
    expect(node).toBe('node');
    const help = await run(process.execPath, [...args, '--help'], { cwd: runtimeWorkdir() });
    expect(help.code, help.stderr).toBe(0);
    for (const spec of serveFlags) {
      expect(help.stdout).toContain(spec.flag);
      expect(help.stdout).toContain(spec.env);
    }
    for (const sub of ['sign-url', 'push']) {
      const subHelp = await run(process.execPath, [...args, sub, '--help'], { cwd: runtimeWorkdir() });
      expect(subHelp.code, `${sub}: ${subHelp.stderr}`).toBe(0);
    }
  });

  it('imports at run time only production dependencies and node built-ins (npm prune --omit=dev removes the rest)', () => {
    const dist = join(runtimeWorkdir(), 'dist');
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const abs = join(dir, entry.name);
        if (entry.isDirectory()) walk(abs);
        else if (entry.name.endsWith('.js')) {
          const code = readFileSync(abs, 'utf8');
          for (const m of code.matchAll(
            /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
          )) {
            const spec = m[1] ?? m[2] ?? m[3]!;
            if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
            if (!allowed.has(name) && !builtins.has(name)) offenders.push(`${relative(dist, abs)}: ${spec}`);
          }
        }
      }
    };
    walk(dist);
    expect(offenders).toEqual([]);
  });

  it('serves with the image’s ENTRYPOINT, CMD and ENV: healthy per docker/healthcheck.mjs, accepts a push, stops on SIGTERM', async () => {
    const cwd = runtimeWorkdir();
    const env = imageEnv();
    const dataDir = join(tmp, 'data');
    mkdirSync(dataDir);
    const [, ...args] = entrypoint();
    // The image's settings, except the data directory (not /data here) and a free HTTP port instead of 8080.
    const childEnv = {
      PATH: process.env.PATH ?? '',
      ...env,
      OSS_EMULATOR_DATA_DIR: dataDir,
      OSS_EMULATOR_RTMP_PORT: '0',
      OSS_EMULATOR_HTTP_PORT: '0',
      OSS_EMULATOR_LOG_LEVEL: 'warn',
    };
    const server: ChildProcess = spawn(process.execPath, [...args, ...defaultCmd()], {
      cwd,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no endpoint in the banner:\n${output}`)), 15_000);
        const check = () => {
          const m = /OSS endpoint\s+(http:\/\/\S+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        server.stdout!.on('data', check);
        void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      const port = new URL(endpoint).port;

      const [health] = instructionsOf(runtime, 'HEALTHCHECK');
      const [, script] = health!.exec!;
      const check = await run(process.execPath, [inFs(runtimeFs, script!)], {
        env: { PATH: process.env.PATH ?? '', ...env, OSS_EMULATOR_HTTP_PORT: port },
      });
      expect(check.code, check.stderr).toBe(0);

      // The web console's script comes from the built dist/console/app.js (found from the package root by the bundle).
      const consoleJs = await fetch(`${endpoint}/-/console/app.js`);
      expect(consoleJs.status).toBe(200);
      expect(await consoleJs.text()).toBe(readFileSync(join(cwd, 'dist/console/app.js'), 'utf8'));

      // A bucket and a channel (ali-oss is the SDK users bring), then the image's push subcommand with its bundled clip.
      const { default: OSS } = await import('ali-oss');
      const client = new OSS({
        endpoint,
        accessKeyId: 'LTAI5tOssEmulatorKey',
        accessKeySecret: 'OssEmulatorSecretDoNotUseInProd',
        bucket: 'image-check',
      });
      await client.putBucket('image-check');
      await client.putChannel('ch', {
        Description: '',
        Status: 'enabled',
        Target: { Type: 'HLS', FragDuration: 1, FragCount: 3, PlaylistName: 'playlist.m3u8' },
      });
      const signed = await run(
        process.execPath,
        [...args, 'sign-url', '--bucket', 'image-check', '--channel', 'ch', '--json', '--rtmp-base', `rtmp://127.0.0.1:${port}`],
        { cwd, env: childEnv },
      );
      expect(signed.code, signed.stderr).toBe(0);
      const { url } = JSON.parse(signed.stdout) as { url: string };
      const push = await run(process.execPath, [...args, 'push', url, '--speed', '0', '--duration', '3'], {
        cwd,
        env: childEnv,
        timeoutMs: 30_000,
      });
      expect(push.code, `${push.stdout}\n${push.stderr}`).toBe(0);
      // The publish is finished (segments and playlist written) just after the pusher disconnects.
      let playlist = '';
      for (let i = 0; i < 100 && !playlist.includes('#EXT-X-ENDLIST'); i++) {
        const res = await fetch(`${endpoint}/-/channels`);
        const { channels } = (await res.json()) as { channels: Array<{ name: string; live: unknown }> };
        if (channels.find((c) => c.name === 'ch')?.live === null)
          playlist = (await client.get('ch/playlist.m3u8').catch(() => ({ content: '' }))).content.toString();
        if (!playlist.includes('#EXT-X-ENDLIST')) await new Promise((r) => setTimeout(r, 50));
      }
      expect(playlist).toContain('#EXTINF');
      expect(playlist).toContain('#EXT-X-ENDLIST');

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
    }
  }, 60_000);

  it('packs dist/ with the bin, the fixtures and the README, and no sources or tests', async () => {
    // The checkout with the build output in place, as `npm pack` (prepack = npm run build) would have it.
    cpSync(inFs(buildFs, containerPath(workdirAt(build, build.instructions.at(-1)!), 'dist')), join(checkout, 'dist'), { recursive: true });
    const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: checkout });
    expect(packed.code, packed.stderr).toBe(0);
    const [{ files }] = JSON.parse(packed.stdout) as [{ files: Array<{ path: string }> }];
    const paths = files.map((f) => f.path);
    packedFiles = paths;
    const bin = pkg.bin['oss-live-emulator']!.replace(/^\.\//, '');
    expect(paths).toEqual(expect.arrayContaining([bin, 'package.json', 'README.md', 'fixtures/640x360-25fps-h264-aac.flv']));
    expect(paths.filter((p) => /^(src|test|docker|bench|\.github|\.ci)\//.test(p))).toEqual([]);
    expect(readFileSync(join(checkout, bin), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  // The programmatic API of INTERFACE.md: `import { startEmulator } from 'oss-live-emulator'` loads main/exports.
  it('packs the main and exports entries, which export startEmulator', async () => {
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const entries = [pkg.main, ...Object.values(pkg.exports ?? {}).flatMap((e) => [e.default, e.types])].filter((e): e is string => !!e);
    expect(entries.length).toBeGreaterThan(0);
    const packedPaths = new Set(packedFiles);
    for (const entry of entries) expect(packedPaths.has(entry.replace(/^\.\//, '')), `${entry} is not in the package`).toBe(true);
    const mod = (await import(join(checkout, pkg.exports?.['.']?.default ?? pkg.main!))) as { startEmulator?: unknown };
    expect(typeof mod.startEmulator).toBe('function');
  });
});
