import type { Credential } from './auth/credentials.js';

/** Everything the emulator needs to run. The command line builds it from flags and env (cli/serve-flags.ts). */
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
