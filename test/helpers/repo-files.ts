import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDockerfile, type Dockerfile, type Stage } from './dockerfile-parser.js';

export const REPO = join(import.meta.dirname, '../..');
export const repoPath = (...parts: string[]): string => join(REPO, ...parts);
export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');

export const execFileAsync = promisify(execFile);

export interface PackageJson {
  name: string;
  bin: Record<string, string>;
  main?: string;
  exports?: Record<string, { types?: string; default?: string }>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
}
export const packageJson = (): PackageJson => JSON.parse(readRepoFile('package.json')) as PackageJson;

export function loadDockerfile(...parts: string[]): Dockerfile {
  return parseDockerfile(readRepoFile(...parts));
}

/** The Dockerfile's build stage (named `build`) and its final (runtime) stage. */
export function emulatorStages(): { file: Dockerfile; build: Stage; runtime: Stage } {
  const file = loadDockerfile('Dockerfile');
  const build = file.stages.find((s) => s.name === 'build');
  const runtime = file.stages.at(-1);
  if (!build || !runtime || build === runtime) throw new Error('Dockerfile needs a stage named "build" and a later runtime stage');
  return { file, build, runtime };
}

/** Runs a command and resolves with its exit code and output, never rejecting on a non-zero exit. */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message };
  }
}
