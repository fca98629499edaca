// docker/docker-compose.yml and the example GitHub Actions workflow: valid YAML that points at real files and agrees
// with the Dockerfile and the CLI.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fromFlagsAndEnv, serveFlags } from '../../src/cli/serve-flags.js';
import { defaultConfig } from '../../src/config.js';
import { instructionsOf } from '../helpers/dockerfile-parser.js';
import { emulatorStages, loadDockerfile, readRepoFile, repoPath } from '../helpers/repo-files.js';

interface ComposeService {
  build?: { context: string; dockerfile?: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[]; timeout?: string };
  networks?: Record<string, { aliases?: string[] } | null>;
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_DIR = repoPath('docker');
const compose = parse(readRepoFile('docker/docker-compose.yml')) as Compose;
const { runtime } = emulatorStages();
const envNames = new Set(serveFlags.map((s) => s.env));

describe('docker/docker-compose.yml', () => {
  const oss = compose.services.oss!;
  const app = compose.services.app!;

  it('has the emulator service `oss` and an example `app`', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'oss']);
  });

  it('builds `oss` from the repository root with the Dockerfile there', () => {
    const context = resolve(COMPOSE_DIR, oss.build!.context);
    expect(context).toBe(repoPath());
    expect(existsSync(join(context, oss.build!.dockerfile ?? 'Dockerfile'))).toBe(true);
  });

  it('checks health with the image’s own HEALTHCHECK command', () => {
    const [health] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(oss.healthcheck?.test).toEqual(['CMD', ...health!.exec!]);
  });

  it('publishes both exposed ports and mounts a declared named volume on the image’s data directory', () => {
    expect(oss.ports).toEqual(expect.arrayContaining(['8080:8080', '1935:1935']));
    const [volume] = oss.volumes ?? [];
    const [name, target] = volume!.split(':');
    expect(compose.volumes).toHaveProperty(name!);
    const volumePaths = instructionsOf(runtime, 'VOLUME').flatMap((v) => v.exec ?? v.args.split(/\s+/));
    expect(volumePaths).toContain(target);
  });

  it('starts the emulator with flags and variables the CLI knows, making `<bucket>.oss` a virtual-hosted bucket', () => {
    const [command, ...flags] = oss.command!;
    expect(command).toBe('serve');
    for (const name of Object.keys(oss.environment ?? {})) expect(envNames).toContain(name);
    const { config } = fromFlagsAndEnv(flags, oss.environment ?? {});
    expect(config.baseDomains).toContain('oss');
    // Replacing the list must not lose the defaults (ali-oss with an IP endpoint relies on aliyuncs.com).
    expect(config.baseDomains).toEqual(expect.arrayContaining(defaultConfig.baseDomains));
  });

  it('gives `oss` a network alias `<bucket>.oss` for the bucket the app uses', () => {
    const aliases = oss.networks?.default?.aliases ?? [];
    expect(aliases).toContain(`${app.environment!.OSS_BUCKET}.oss`);
  });

  it('builds the app from docker/example-app, waits for `oss` to be healthy, and uses the emulator’s credentials', () => {
    const context = resolve(COMPOSE_DIR, app.build!.context);
    expect(existsSync(join(context, 'Dockerfile'))).toBe(true);
    const [cmd] = instructionsOf(loadDockerfile('docker/example-app/Dockerfile').stages[0]!, 'CMD');
    expect(existsSync(join(context, cmd!.exec!.at(-1)!))).toBe(true);
    expect(app.depends_on?.oss?.condition).toBe('service_healthy');
    expect(new URL(app.environment!.OSS_ENDPOINT!).host).toBe('oss:8080');
    const { config } = fromFlagsAndEnv([], oss.environment ?? {});
    expect(app.environment!.OSS_ACCESS_KEY_ID).toBe(config.credentials[0]!.accessKeyId);
    expect(app.environment!.OSS_ACCESS_KEY_SECRET).toBe(config.credentials[0]!.accessKeySecret);
  });

  it('names only environment variables that the example app reads', () => {
    const script = readRepoFile('docker/example-app/demo.mjs');
    for (const name of Object.keys(app.environment ?? {})) expect(script, name).toContain(`env.${name}`);
  });
});

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<
    string,
    {
      if?: string;
      services?: Record<string, { image: string; options?: string; ports?: string[]; env?: Record<string, string> }>;
      steps: WorkflowStep[];
    }
  >;
}

describe('.github/workflows/example-oss-emulator.yml', () => {
  const workflow = parse(readRepoFile('.github/workflows/example-oss-emulator.yml')) as Workflow;

  it('runs only when started by hand: it is an example, not this project’s CI', () => {
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch']);
  });

  it('points the tests at an IP endpoint on the published port 8080', () => {
    const endpoint = new URL(workflow.env!.OSS_ENDPOINT!);
    expect(endpoint.hostname).toBe('127.0.0.1');
    expect(endpoint.port).toBe('8080');
  });

  it('build-and-run: builds the image from the repository root, runs it, and waits for its health status', () => {
    const steps = workflow.jobs['build-and-run']!.steps;
    const scripts = steps.map((s) => s.run ?? '').join('\n');
    const tag = /docker build -t (\S+) \./.exec(scripts)?.[1];
    expect(tag).toBeDefined();
    const runLine = scripts
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .find((l) => l.includes('docker run -d'));
    expect(runLine?.split(/\s+/)).toContain(tag);
    expect(scripts).toContain('.State.Health.Status');
    expect(scripts).toContain('/-/health');
  });

  it('service-container: uses the image’s health check script and is skipped without an image', () => {
    const job = workflow.jobs['service-container']!;
    expect(job.if).toContain('vars.OSS_EMULATOR_IMAGE');
    const [health] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(job.services!.oss!.options).toContain(`--health-cmd "${health!.exec!.join(' ')}"`);
    expect(job.services!.oss!.ports).toEqual(expect.arrayContaining(['8080:8080']));
  });

  it('passes the emulator only variables it reads', () => {
    const scripts = Object.values(workflow.jobs)
      .flatMap((j) => j.steps.map((s) => s.run ?? ''))
      .join('\n');
    const passed = [...scripts.matchAll(/-e (OSS_EMULATOR_[A-Z_]+)=/g)].map((m) => m[1]!);
    const serviceEnv = Object.keys(workflow.jobs['service-container']!.services!.oss!.env ?? {});
    expect(passed.length).toBeGreaterThan(0);
    for (const name of [...passed, ...serviceEnv]) expect(envNames).toContain(name);
  });

  it('runs steps in directories that exist', () => {
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) {
        if (step['working-directory']) expect(existsSync(repoPath(step['working-directory'])), step['working-directory']).toBe(true);
      }
    }
  });
});
