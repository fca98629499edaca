import { readFileSync } from 'node:fs';
import type { Credential } from './auth/credentials.js';
import { ClockError, parseClockSetting } from './shared/clock.js';

/** Everything the emulator needs to run. Only fromFlagsAndEnv() reads process.env. */
export interface Config {
  host: string;
  httpPort: number;
  /**
   * Dedicated RTMP listener; 0 picks a free port, false disables it (RTMP is still accepted on the HTTP port).
   * On the command line `--rtmp-port 0` means disabled, as INTERFACE.md fixes it.
   */
  rtmpPort: number | false;
  /** host[:port] written into PublishUrls/PlayUrls; undefined = the request's Host. */
  publicHost: string | undefined;
  /**
   * PublishUrls/PlayUrls: 'playable' (default) = path style wherever a bucket label cannot resolve (an IP endpoint), so the
   * URL plays as given; 'oss' = always `<bucket>.<host>` as OSS writes them, for suites that compare them string by string.
   */
  urlStyle: 'playable' | 'oss';
  dataDir: string;
  inMemory: boolean;
  credentials: Credential[];
  defaultBucket: string | undefined;
  auth: boolean;
  logLevel: string;
  /** Domains under which `<bucket>.<domain>` is read as virtual-hosted style. */
  baseDomains: string[];
  /** A publisher that sends nothing for this long is dropped and its record closed. */
  rtmpIdleTimeoutMs: number;
  /** An HTTP request (headers and body) must arrive within this long (408 otherwise); headers within min(this, 60 s). */
  httpRequestTimeoutMs: number;
  /** An RTMP handshake (C0+C1+C2) must complete within this long. */
  rtmpHandshakeTimeoutMs: number;
  /** Delay before a live publisher is disconnected after its channel is disabled (OSS: about 10 s; the issue asks for < 1 s). */
  disableGraceMs: number;
  /** ffmpeg for LiveChannel snapshots; undefined = ffmpeg-static if installed, else `ffmpeg` on PATH. */
  ffmpegPath: string | undefined;
  /** How the emulator's clock starts: `real`, `frozen[:TIME]`, `offset:DURATION` or `offset:TIME` (see parseClockSetting). */
  clock: string;
  /** How long a RestoreObject of an Archive/ColdArchive/DeepColdArchive object takes (emulator clock). */
  restoreDelayMs: number;
  /** Byte cap of one open live segment (held in memory until cut): cut at the next keyframe past it, at any frame past 2x. */
  segmentMaxBytes: number;
  /** RTMP connections that have not had a publish accepted (handshake, connect, waiting): more are closed at once. */
  rtmpMaxPendingConnections: number;
  /**
   * 'rules' (default): CORS as OSS does it, from each bucket's CORS rules (a preflight without a matching rule is 403).
   * 'permissive': every origin allowed on every OSS request, as before bucket CORS rules existed.
   */
  cors: 'rules' | 'permissive';
  /** How often bucket lifecycle rules are applied (expired objects deleted); 0 = only through POST /-/lifecycle/run. */
  lifecycleIntervalMs: number;
  /** Hosts (name or address, optionally :port) upload callbacks may be sent to, besides loopback. */
  callbackAllowHosts: string[];
  /** A seed (JSON or YAML) applied at startup, idempotently: buckets with ACL/CORS, LiveChannels, objects. */
  initFile: string | undefined;
}

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tOssEmulatorKey';
export const DEFAULT_ACCESS_KEY_SECRET = 'OssEmulatorSecretDoNotUseInProd';

export const defaultConfig: Readonly<Config> = Object.freeze({
  host: '127.0.0.1',
  httpPort: 8080,
  rtmpPort: 1935,
  publicHost: undefined,
  urlStyle: 'playable',
  dataDir: './.oss-emulator',
  inMemory: false,
  credentials: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
  defaultBucket: undefined,
  auth: true,
  logLevel: 'info',
  baseDomains: ['localhost', 'aliyuncs.com'],
  rtmpIdleTimeoutMs: 10_000,
  rtmpHandshakeTimeoutMs: 10_000,
  httpRequestTimeoutMs: 120_000,
  disableGraceMs: 500,
  ffmpegPath: undefined,
  clock: 'real',
  cors: 'rules',
  lifecycleIntervalMs: 60_000,
  callbackAllowHosts: [],
  initFile: undefined,
  restoreDelayMs: 1000,
  segmentMaxBytes: 32 * 1024 * 1024,
  rtmpMaxPendingConnections: 64,
});

export class ConfigError extends Error {}

/** One flag of the CLI: its env twin and how it lands in Config. Also feeds --help. */
export interface FlagSpec {
  flag: string;
  env: string;
  value?: string;
  help: string;
  apply(config: Config, raw: string): void;
}

const port = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number 0-65535, got "${raw}"`);
  return n;
};

const milliseconds = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new ConfigError(`${name} must be a whole number of milliseconds, got "${raw}"`);
  return n;
};

const positiveNumber = (name: string, raw: string): number => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, got "${raw}"`);
  return n;
};

const boolEnv = (raw: string): boolean => !['', '0', 'false', 'off', 'no'].includes(raw.toLowerCase());

function readCredentialsFile(path: string): Credential[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read credentials file ${path}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError(`${path} must hold a non-empty JSON list`);
  return parsed.map((item, i) => {
    const { accessKeyId, accessKeySecret } = (item ?? {}) as Record<string, unknown>;
    if (typeof accessKeyId !== 'string' || typeof accessKeySecret !== 'string' || !accessKeyId || !accessKeySecret) {
      throw new ConfigError(`${path}[${i}] needs string accessKeyId and accessKeySecret`);
    }
    return { accessKeyId, accessKeySecret };
  });
}

export const flagSpecs: readonly FlagSpec[] = [
  {
    flag: '--host',
    env: 'OSS_EMULATOR_HOST',
    value: 'ADDR',
    help: 'address both listeners bind to (default 127.0.0.1)',
    apply: (c, v) => (c.host = v),
  },
  {
    flag: '--http-port',
    env: 'OSS_EMULATOR_HTTP_PORT',
    value: 'PORT',
    help: 'OSS REST API port, also accepts RTMP (default 8080; 0 = any free port)',
    apply: (c, v) => (c.httpPort = port('--http-port', v)),
  },
  {
    flag: '--rtmp-port',
    env: 'OSS_EMULATOR_RTMP_PORT',
    value: 'PORT',
    help: 'dedicated RTMP port (default 1935; 0 disables it)',
    apply: (c, v) => (c.rtmpPort = port('--rtmp-port', v) || false),
  },
  {
    flag: '--public-host',
    env: 'OSS_EMULATOR_PUBLIC_HOST',
    value: 'HOST[:PORT]',
    help: "host written into PublishUrls/PlayUrls (default: the request's Host)",
    apply: (c, v) => (c.publicHost = v || undefined),
  },
  {
    flag: '--url-style',
    env: 'OSS_EMULATOR_URL_STYLE',
    value: 'playable|oss',
    help: 'PublishUrls/PlayUrls: playable (default; path style for IP endpoints) or oss (<bucket>.<host> as OSS writes them)',
    apply: (c, v) => {
      if (v !== 'playable' && v !== 'oss') throw new ConfigError(`--url-style must be playable or oss, got "${v}"`);
      c.urlStyle = v;
    },
  },
  {
    flag: '--data-dir',
    env: 'OSS_EMULATOR_DATA_DIR',
    value: 'DIR',
    help: 'SQLite file and object bytes (default ./.oss-emulator)',
    apply: (c, v) => (c.dataDir = v),
  },
  {
    flag: '--in-memory',
    env: 'OSS_EMULATOR_IN_MEMORY',
    help: 'throwaway state: SQLite in memory, objects in a temp dir removed on exit',
    apply: (c, v) => (c.inMemory = boolEnv(v)),
  },
  {
    flag: '--access-key-id',
    env: 'OSS_EMULATOR_ACCESS_KEY_ID',
    value: 'ID',
    help: `AccessKeyId accepted (default ${DEFAULT_ACCESS_KEY_ID})`,
    apply: (c, v) => (c.credentials = [{ ...c.credentials[0]!, accessKeyId: v }]),
  },
  {
    flag: '--access-key-secret',
    env: 'OSS_EMULATOR_ACCESS_KEY_SECRET',
    value: 'SECRET',
    help: `AccessKeySecret accepted (default ${DEFAULT_ACCESS_KEY_SECRET})`,
    apply: (c, v) => (c.credentials = [{ ...c.credentials[0]!, accessKeySecret: v }]),
  },
  {
    flag: '--credentials',
    env: 'OSS_EMULATOR_CREDENTIALS',
    value: 'FILE',
    help: 'JSON list of {accessKeyId, accessKeySecret}; replaces the single pair',
    apply: (c, v) => (c.credentials = readCredentialsFile(v)),
  },
  {
    flag: '--default-bucket',
    env: 'OSS_EMULATOR_DEFAULT_BUCKET',
    value: 'BUCKET',
    help: 'bucket assumed for RTMP URLs that name none (rtmp://ip:port/live/<channel>)',
    apply: (c, v) => (c.defaultBucket = v || undefined),
  },
  {
    flag: '--base-domain',
    env: 'OSS_EMULATOR_BASE_DOMAIN',
    value: 'DOMAIN[,DOMAIN]',
    help: 'more domains read as virtual-hosted style, <bucket>.<domain>; added to localhost,aliyuncs.com',
    // Added, not replacing: ali-oss with an IP endpoint always sends Host <bucket>.oss-<region>.aliyuncs.com.
    apply: (c, v) =>
      (c.baseDomains = [
        ...new Set([
          ...c.baseDomains,
          ...v
            .split(',')
            .map((d) => d.trim().toLowerCase())
            .filter(Boolean),
        ]),
      ]),
  },
  {
    flag: '--no-auth',
    env: 'OSS_EMULATOR_AUTH',
    help: 'accept any or no signature (env: OSS_EMULATOR_AUTH=off)',
    apply: (c, v) => (c.auth = v === 'flag' ? false : boolEnv(v)),
  },
  {
    flag: '--ffmpeg-path',
    env: 'FFMPEG_PATH',
    value: 'FILE',
    help: 'ffmpeg used for LiveChannel snapshots (default: ffmpeg-static if installed, else ffmpeg on PATH)',
    apply: (c, v) => (c.ffmpegPath = v || undefined),
  },
  {
    flag: '--clock',
    env: 'OSS_EMULATOR_CLOCK',
    value: 'MODE[:VALUE]',
    help: 'emulator clock: real (default), frozen[:TIME], offset:-2h or offset:2030-01-01T00:00:00Z; moved by PUT /-/clock',
    apply: (c, v) => {
      try {
        parseClockSetting(v);
      } catch (err) {
        if (err instanceof ClockError) throw new ConfigError(err.message);
        throw err;
      }
      c.clock = v;
    },
  },
  {
    flag: '--restore-delay-ms',
    env: 'OSS_EMULATOR_RESTORE_DELAY_MS',
    value: 'MS',
    help: 'time a RestoreObject of an archived object takes (default 1000)',
    apply: (c, v) => (c.restoreDelayMs = milliseconds('--restore-delay-ms', v)),
  },
  {
    flag: '--rtmp-max-pending',
    env: 'OSS_EMULATOR_RTMP_MAX_PENDING',
    value: 'N',
    help: 'RTMP connections allowed at once before a publish is accepted; more are closed (default 64)',
    apply: (c, v) => (c.rtmpMaxPendingConnections = Math.floor(positiveNumber('--rtmp-max-pending', v))),
  },
  {
    flag: '--segment-max-mb',
    env: 'OSS_EMULATOR_SEGMENT_MAX_MB',
    value: 'MB',
    help: 'memory cap of one open live segment: cut at the next keyframe past it (default 32)',
    apply: (c, v) => (c.segmentMaxBytes = positiveNumber('--segment-max-mb', v) * 1024 * 1024),
  },
  {
    flag: '--cors',
    env: 'OSS_EMULATOR_CORS',
    value: 'MODE',
    help: "'permissive' allows every origin on every request; default: each bucket's CORS rules, as OSS",
    apply: (c, v) => {
      if (v !== 'permissive' && v !== 'rules') throw new ConfigError(`--cors must be permissive or rules, got "${v}"`);
      c.cors = v;
    },
  },
  {
    flag: '--lifecycle-interval',
    env: 'OSS_EMULATOR_LIFECYCLE_INTERVAL',
    value: 'SECONDS',
    help: 'how often bucket lifecycle rules delete expired objects (default 60; 0 = only on POST /-/lifecycle/run)',
    apply: (c, v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--lifecycle-interval must be a number of seconds >= 0, got "${v}"`);
      c.lifecycleIntervalMs = Math.round(n * 1000);
    },
  },
  {
    flag: '--callback-allow',
    env: 'OSS_EMULATOR_CALLBACK_ALLOW',
    value: 'HOST[,HOST]',
    help: 'hosts upload callbacks (x-oss-callback) may reach besides loopback, e.g. app:3000 in docker-compose',
    apply: (c, v) =>
      (c.callbackAllowHosts = [
        ...new Set([
          ...c.callbackAllowHosts,
          ...v
            .split(',')
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean),
        ]),
      ]),
  },
  {
    flag: '--init',
    env: 'OSS_EMULATOR_INIT',
    value: 'FILE',
    help: 'seed buckets (ACL, CORS), LiveChannels and objects from a JSON or YAML file at startup; idempotent',
    apply: (c, v) => (c.initFile = v || undefined),
  },
  {
    flag: '--log-level',
    env: 'OSS_EMULATOR_LOG_LEVEL',
    value: 'LEVEL',
    help: 'pino level: trace debug info warn error silent (default info)',
    apply: (c, v) => (c.logLevel = v),
  },
];

/** Env first, then flags (flags win). Returns the config and the positional arguments left over. */
export function fromFlagsAndEnv(argv: readonly string[], env: NodeJS.ProcessEnv): { config: Config; positionals: string[] } {
  const config: Config = { ...defaultConfig, credentials: [...defaultConfig.credentials], baseDomains: [...defaultConfig.baseDomains] };
  for (const spec of flagSpecs) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== '') spec.apply(config, raw);
  }
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = flagSpecs.find((s) => s.flag === name);
    if (!spec) throw new ConfigError(`unknown flag ${name} (see --help)`);
    if (!spec.value) {
      spec.apply(config, eq === -1 ? 'flag' : arg.slice(eq + 1));
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    spec.apply(config, value);
  }
  return { config, positionals };
}
