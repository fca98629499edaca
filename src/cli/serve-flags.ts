// The flags of `serve` (and of every command reading the emulator's settings): one row per flag, with its environment
// variable and its --help line. The only place the command line turns flags and env into a Config.
import { readFileSync } from 'node:fs';
import type { Credential } from '../auth/credentials.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, defaultConfig, type Config } from '../config.js';
import { ClockError, parseClockSetting } from '../shared/clock.js';
import { ConfigError, parseFlags, type FlagSpec } from './flags.js';

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

export const serveFlags: readonly FlagSpec<Config>[] = [
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
    apply: (c, on) => (c.inMemory = on),
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
    envInverted: true,
    apply: (c, on) => (c.auth = !on),
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

/** A Config of the defaults that flags may change (its lists copied, so the frozen defaults stay as they are). */
export const defaultsCopy = (): Config => ({
  ...defaultConfig,
  credentials: [...defaultConfig.credentials],
  baseDomains: [...defaultConfig.baseDomains],
  callbackAllowHosts: [...defaultConfig.callbackAllowHosts],
});

/** Env first, then flags (flags win). Returns the config and the positional arguments left over. */
export function fromFlagsAndEnv(argv: readonly string[], env: NodeJS.ProcessEnv): { config: Config; positionals: string[] } {
  const config = defaultsCopy();
  const positionals = parseFlags(serveFlags, argv, env, config);
  return { config, positionals };
}
