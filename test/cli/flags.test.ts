import { describe, expect, it } from 'vitest';
import { ConfigError, flagHelp, liftFlags, parseFlags, wantsHelp, type FlagSpec } from '../../src/cli/flags.js';

interface Options {
  port?: number;
  name?: string;
  fast: boolean;
  strict: boolean;
  inner: { level?: string };
}

const specs: FlagSpec<Options>[] = [
  { flag: '--port', env: 'T_PORT', value: 'PORT', help: 'a port', apply: (o, v) => (o.port = Number(v)) },
  { flag: '--name', short: 'n', value: 'NAME', help: 'a name', apply: (o, v) => (o.name = v) },
  { flag: '--fast', env: 'T_FAST', help: 'go fast', apply: (o, on) => (o.fast = on) },
  { flag: '--no-strict', env: 'T_STRICT', envInverted: true, help: 'relax', apply: (o, on) => (o.strict = !on) },
  { flag: '--secret', value: 'X', hidden: true, help: 'not listed', apply: () => undefined },
];
const fresh = (): Options => ({ fast: false, strict: true, inner: {} });

describe('the one flag parser', () => {
  it('reads the environment first and lets flags win, in both --flag value and --flag=value forms', () => {
    const o = fresh();
    const rest = parseFlags(specs, ['--port=9000', 'pos', '-n', 'cam', '--', '--not-a-flag'], { T_PORT: '7000', T_FAST: 'yes' }, o);
    expect(o).toMatchObject({ port: 9000, name: 'cam', fast: true });
    expect(rest).toEqual(['pos', '--not-a-flag']);
    const fromEnv = fresh();
    parseFlags(specs, [], { T_PORT: '7000', T_FAST: '' }, fromEnv);
    expect(fromEnv).toMatchObject({ port: 7000, fast: false });
  });

  it('reads a switch alone as on, --switch=0 as off, and an inverted env variable as the opposite', () => {
    const o = fresh();
    parseFlags(specs, ['--fast', '--no-strict'], {}, o);
    expect(o).toMatchObject({ fast: true, strict: false });
    parseFlags(specs, ['--fast=0'], {}, o);
    expect(o.fast).toBe(false);
    const env = fresh();
    parseFlags(specs, [], { T_STRICT: 'off' }, env);
    expect(env.strict).toBe(false);
    parseFlags(specs, [], { T_STRICT: '1' }, env);
    expect(env.strict).toBe(true);
  });

  it('refuses an unknown flag and a missing value with a ConfigError that says which', () => {
    expect(() => parseFlags(specs, ['--prot', '1'], {}, fresh())).toThrow(new ConfigError('unknown flag --prot (see --help)'));
    expect(() => parseFlags(specs, ['--port'], {}, fresh())).toThrow(new ConfigError('--port needs a value'));
  });

  it('generates --help from the same table: flag, value, help, env; hidden flags are accepted but not listed', () => {
    const help = flagHelp(specs);
    expect(help).toContain('--port PORT');
    expect(help).toMatch(/a port\n\s+env T_PORT/);
    expect(help).toContain('-n, --name NAME');
    expect(help).not.toContain('--secret');
    expect(() => parseFlags(specs, ['--secret', 'x'], {}, fresh())).not.toThrow();
  });

  it('wraps long help text under its column', () => {
    const long: FlagSpec<Options>[] = [{ flag: '--long', help: 'word '.repeat(60).trim(), apply: () => undefined }];
    const lines = flagHelp(long).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {35}word/);
  });

  it('lifts one table onto a part of another target (sign-url reads the serve flags into its Config)', () => {
    const outer = { inner: fresh() };
    const lifted = liftFlags(
      specs,
      (t: typeof outer) => t.inner,
      (s) => s.flag !== '--name',
    );
    parseFlags(lifted, ['--port', '1', '--name', 'x', '--fast'], {}, outer);
    expect(outer.inner).toMatchObject({ port: 1, name: 'x', fast: true });
    expect(flagHelp(lifted)).not.toContain('--name');
  });

  it('sees --help or -h anywhere before --', () => {
    expect(wantsHelp(['--port', '1', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--port', '1'])).toBe(false);
  });
});
